#ifndef IMAT_PNG_SHIM_H
#define IMAT_PNG_SHIM_H
#include <stddef.h>
#include <stdint.h>

/* libpng reports errors by longjmp, which Swift cannot catch. Every function here owns its setjmp,
 * returns one of the codes below and, on failure, copies a one-line reason into `message`. */

enum {
    IMAT_PNG_OK = 0,
    IMAT_PNG_CANNOT_OPEN = 1,    /* fopen failed (message holds strerror) */
    IMAT_PNG_NOT_PNG = 2,        /* the file does not start with the PNG signature */
    IMAT_PNG_DECODE_FAILED = 3,  /* libpng refused the file: truncated, bad CRC, bad zlib data, ... */
    IMAT_PNG_MISMATCH = 4,       /* the image's layout differs from the one the caller expected */
    IMAT_PNG_WRITE_FAILED = 5
};

/* How a PNG's pixels arrive in the caller's buffer. */
enum {
    IMAT_PNG_GREY = 0,     /* greyscale, with or without alpha: 1 sample per pixel, alpha dropped */
    IMAT_PNG_PALETTE = 1,  /* palette indices: 1 byte per pixel, the palette is returned beside them */
    IMAT_PNG_COLOUR = 2    /* RGB or RGBA: 3 samples per pixel (R, G, B), alpha dropped */
};

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;        /* bits per sample as stored: 1, 2, 4, 8 or 16 */
    int channels;         /* samples per pixel as stored: 1 (grey, palette) to 4 (RGBA) */
    int color_type;       /* PNG_COLOR_TYPE_* as stored */
    int interlaced;       /* 1 for Adam7 */
    int pixel_kind;       /* IMAT_PNG_GREY, IMAT_PNG_PALETTE or IMAT_PNG_COLOUR */
    int palette_count;    /* number of PLTE entries (0 without a palette) */
    uint8_t palette[256 * 3]; /* R, G, B of each entry */
} imat_png_header;

/* Samples per pixel in the decoded buffer for a pixel kind (1 or 3). */
int imat_png_channels(int pixel_kind);

/* Bytes per decoded sample for a stored bit depth: 2 for 16-bit, else 1 (1/2/4-bit samples are unpacked to
 * one byte each, values unscaled). */
int imat_png_bytes_per_sample(int bit_depth);

/* Reads the signature and header chunks of the PNG at `path` (no pixel data). */
int imat_png_read_header(const char *path, imat_png_header *header, char *message, size_t message_size);

/* Decodes the whole PNG at `path` into `pixels` (`pixels_size` bytes), row after row without padding:
 * width x height x channels samples of imat_png_bytes_per_sample(bit_depth) bytes, 16-bit samples in host byte
 * order. The file must match `expected` in width, height, bit depth and pixel kind; otherwise nothing is
 * decoded, IMAT_PNG_MISMATCH is returned and `found` says what the file holds. `found` is filled on success too
 * (the palette of a palette image comes back there). Interlaced images are de-interlaced; chunk CRCs are
 * checked (a bad critical chunk is an error); tRNS is ignored. */
int imat_png_decode(const char *path, const imat_png_header *expected, void *pixels, size_t pixels_size,
                    imat_png_header *found, char *message, size_t message_size);

/* Writes a greyscale PNG of `bytes_per_sample` (1 → 8-bit, 2 → 16-bit, host byte order) samples. */
int imat_png_write_grey(const char *path, uint32_t width, uint32_t height, int bytes_per_sample,
                        const void *pixels, char *message, size_t message_size);

/* Encodes an 8-bit RGB image (row-major, 3 bytes per pixel) as a PNG in memory, for pages that embed images.
 * On success `*png_bytes` holds `*png_length` bytes that the caller releases with free(). */
int imat_png_encode_rgb(uint32_t width, uint32_t height, const uint8_t *rgb, uint8_t **png_bytes,
                        size_t *png_length, char *message, size_t message_size);

#endif
