#include "image_codecs.h"
#include <charls/charls.h>
#include <stdio.h>

int imat_decode_jpegls(const uint8_t *data, size_t size, imat_frame_layout layout, uint8_t *out,
                       char *message, size_t message_size) {
    charls_jpegls_decoder *decoder = charls_jpegls_decoder_create();
    if (decoder == NULL) {
        snprintf(message, message_size, "JPEG-LS: CharLS could not create a decoder");
        return 1;
    }
    int status = 1;
    charls_frame_info info;
    size_t needed = 0;
    charls_jpegls_errc error = charls_jpegls_decoder_set_source_buffer(decoder, data, size);
    if (!error) error = charls_jpegls_decoder_read_header(decoder);
    if (!error) error = charls_jpegls_decoder_get_frame_info(decoder, &info);
    if (error) goto failed;
    if (info.component_count != 1) {
        snprintf(message, message_size, "JPEG-LS: %d components where a greyscale image has 1", info.component_count);
        goto done;
    }
    if (info.width != layout.width || info.height != layout.height) {
        snprintf(message, message_size, "JPEG-LS: the stream holds %ux%u pixels where the DICOM header says %zux%zu",
                 info.width, info.height, layout.width, layout.height);
        goto done;
    }
    if ((info.bits_per_sample > 8 ? 2 : 1) != layout.bytes_per_sample) {
        snprintf(message, message_size, "JPEG-LS: %d-bit samples where the DICOM header has %d-bit pixels",
                 info.bits_per_sample, layout.bytes_per_sample * 8);
        goto done;
    }
    error = charls_jpegls_decoder_get_destination_size(decoder, 0, &needed);
    if (error) goto failed;
    if (needed != layout.width * layout.height * (size_t)layout.bytes_per_sample) {
        snprintf(message, message_size, "JPEG-LS: the decoded frame would hold %zu bytes, not the %zu expected",
                 needed, layout.width * layout.height * (size_t)layout.bytes_per_sample);
        goto done;
    }
    /* CharLS writes 16-bit samples in host order, little endian on the platforms IMATKit builds for. */
    error = charls_jpegls_decoder_decode_to_buffer(decoder, out, needed, 0);
    if (error) goto failed;
    status = 0;
    goto done;
failed:
    snprintf(message, message_size, "JPEG-LS: %s", charls_get_error_message(error));
done:
    charls_jpegls_decoder_destroy(decoder);
    return status;
}
