#include "image_codecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>

/* libjpeg reports errors by calling error_exit, which must not return: it jumps back here instead. */
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char reason[JMSG_LENGTH_MAX];
} error_manager;

static void on_error(j_common_ptr info) {
    error_manager *manager = (error_manager *)info->err;
    (*info->err->format_message)(info, manager->reason);
    longjmp(manager->escape, 1);
}

/* A warning (level -1) means corrupt or truncated data that libjpeg would paper over; trace levels are ignored. */
static void on_message(j_common_ptr info, int level) {
    if (level < 0) on_error(info);
}

int imat_decode_jpeg(const uint8_t *data, size_t size, imat_frame_layout layout, uint8_t *out,
                     char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    error_manager errors;
    memset(&info, 0, sizeof info);
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_error;
    errors.base.emit_message = on_message;
    errors.reason[0] = 0;
    if (setjmp(errors.escape)) {
        snprintf(message, message_size, "JPEG: %s", errors.reason);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    if (info.num_components != 1) {
        snprintf(message, message_size, "JPEG: %d components where a greyscale image has 1", info.num_components);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    if (info.image_width != layout.width || info.image_height != layout.height) {
        snprintf(message, message_size, "JPEG: the stream holds %ux%u pixels where the DICOM header says %zux%zu",
                 info.image_width, info.image_height, layout.width, layout.height);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    info.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&info);
    JSAMPLE row[JPEG_MAX_DIMENSION];
    JSAMPROW rows[1] = {row};
    while (info.output_scanline < info.output_height) {
        size_t y = info.output_scanline;
        jpeg_read_scanlines(&info, rows, 1);
        for (size_t x = 0; x < layout.width; x++) {
            size_t k = y * layout.width + x;
            if (layout.bytes_per_sample == 1) {
                out[k] = row[x];
            } else {
                out[2 * k] = row[x];
                out[2 * k + 1] = 0;
            }
        }
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return 0;
}
