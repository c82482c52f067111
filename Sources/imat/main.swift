import IMATCLI

IMATCommand.main()
