import VolumeIO
