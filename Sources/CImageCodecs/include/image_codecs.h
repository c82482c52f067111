#ifndef IMAT_IMAGE_CODECS_H
#define IMAT_IMAGE_CODECS_H
#include <stddef.h>
#include <stdint.h>

/* Decoders for the compressed pixel data of DICOM (PS3.5 A.4), one per library. Each decodes one greyscale frame
 * of `width` x `height` samples into `out` (exactly width * height * bytes_per_sample bytes; 16-bit samples little
 * endian) after checking that the codestream describes exactly that frame, so a header can never make a decoder
 * allocate more than the caller expected. Returns 0, or non-zero with a one-line reason in `message`. */

typedef struct {
    size_t width;
    size_t height;
    int bytes_per_sample; /* 1 or 2 */
} imat_frame_layout;

/* JPEG 2000 part 1 and High-Throughput JPEG 2000 codestreams (or JP2 files) with OpenJPEG, in strict mode:
 * a truncated codestream is an error rather than a partially decoded image. */
int imat_decode_jpeg2000(const uint8_t *data, size_t size, imat_frame_layout layout, uint8_t *out,
                         char *message, size_t message_size);

/* JPEG-LS lossless and near-lossless with CharLS. */
int imat_decode_jpegls(const uint8_t *data, size_t size, imat_frame_layout layout, uint8_t *out,
                       char *message, size_t message_size);

/* 8-bit JPEG baseline and extended (DCT) with libjpeg(-turbo). Its warnings, such as a premature end of the
 * data, are errors: libjpeg would otherwise fill the missing part with grey. */
int imat_decode_jpeg(const uint8_t *data, size_t size, imat_frame_layout layout, uint8_t *out,
                     char *message, size_t message_size);

#endif
