#include "png_shim.h"
#include <png.h>
