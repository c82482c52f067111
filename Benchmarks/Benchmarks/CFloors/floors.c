#include "floors.h"
#include <isa-l/igzip_lib.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file in one malloc'd buffer; NULL on failure. */
static unsigned char *read_whole(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return NULL;
    unsigned char *bytes = NULL;
    if (fseek(file, 0, SEEK_END) == 0) {
        long length = ftell(file);
        if (length > 0 && fseek(file, 0, SEEK_SET) == 0 && (bytes = malloc((size_t)length)) != NULL) {
            if (fread(bytes, 1, (size_t)length, file) == (size_t)length) {
                *size = (size_t)length;
            } else {
                free(bytes);
                bytes = NULL;
            }
        }
    }
    fclose(file);
    return bytes;
}

typedef struct {
    const unsigned char *bytes;
    size_t size;
    size_t offset;
} memory_source;

static void read_from_memory(png_structp png, png_bytep data, size_t length) {
    memory_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "truncated");
    memcpy(data, source->bytes + source->offset, length);
    source->offset += length;
}

static int decode_one(const unsigned char *bytes, size_t size, unsigned char *pixels, size_t room, size_t *used) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep *volatile rows = NULL;
    volatile int result = -1;
    if (info == NULL) goto done;
    if (setjmp(png_jmpbuf(png))) goto done;
    memory_source source = {bytes, size, 0};
    png_set_read_fn(png, &source, read_from_memory);
    png_read_info(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (depth == 16) png_set_swap(png);
#endif
    png_read_update_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes * height > room) goto done;
    rows = malloc(height * sizeof *rows);
    if (rows == NULL) goto done;
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    *used = row_bytes * height;
    result = 0;
done:
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return result;
}

int floors_png_decode(const char *const *paths, int count, void *pixels, size_t pixels_size) {
    size_t offset = 0;
    for (int k = 0; k < count; k++) {
        size_t size = 0, used = 0;
        unsigned char *bytes = read_whole(paths[k], &size);
        if (bytes == NULL) return -1;
        int status = decode_one(bytes, size, (unsigned char *)pixels + offset, pixels_size - offset, &used);
        free(bytes);
        if (status != 0) return -1;
        offset += used;
    }
    return 0;
}

size_t floors_gzip_size(const char *path) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return 0;
    unsigned char trailer[4];
    size_t size = 0;
    if (fseek(file, -4, SEEK_END) == 0 && fread(trailer, 1, 4, file) == 4) {
        size = (size_t)trailer[0] | (size_t)trailer[1] << 8 | (size_t)trailer[2] << 16 | (size_t)trailer[3] << 24;
    }
    fclose(file);
    return size;
}

int floors_inflate_file(const char *path, void *out, size_t out_size) {
    size_t size = 0;
    unsigned char *bytes = read_whole(path, &size);
    if (bytes == NULL) return -1;
    /* ISA-L's igzip, gzip header parsed and CRC checked, as IMATKit's reader does; one call, whole buffers. */
    struct inflate_state state;
    isal_inflate_init(&state);
    state.crc_flag = ISAL_GZIP;
    state.next_in = bytes;
    state.avail_in = (uint32_t)size;
    state.next_out = out;
    state.avail_out = (uint32_t)out_size;
    int result = isal_inflate(&state) == ISAL_DECOMP_OK && state.block_state == ISAL_BLOCK_FINISH ? 0 : -1;
    free(bytes);
    return result;
}

float floors_sum(const float *values, size_t count) {
    float lane[8] = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        for (int j = 0; j < 8; j++) lane[j] += values[i + j];
    }
    float total = 0;
    for (; i < count; i++) total += values[i];
    for (int j = 0; j < 8; j++) total += lane[j];
    return total;
}
