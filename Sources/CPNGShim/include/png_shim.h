#ifndef IMAT_PNG_SHIM_H
#define IMAT_PNG_SHIM_H
#include <stddef.h>
#include <stdint.h>
#endif
