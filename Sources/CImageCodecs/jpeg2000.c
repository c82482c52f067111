#include "image_codecs.h"
#include <openjpeg.h>
#include <stdio.h>
#include <string.h>

/* OpenJPEG reads through callbacks; this one serves a byte range in memory. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t position;
} memory_stream;

static OPJ_SIZE_T stream_read(void *buffer, OPJ_SIZE_T count, void *user) {
    memory_stream *s = user;
    if (s->position >= s->size) return (OPJ_SIZE_T)-1;
    size_t n = s->size - s->position < count ? s->size - s->position : count;
    memcpy(buffer, s->data + s->position, n);
    s->position += n;
    return n;
}

static OPJ_OFF_T stream_skip(OPJ_OFF_T count, void *user) {
    memory_stream *s = user;
    if (count < 0) {
        if ((size_t)(-count) > s->position) return -1;
    } else if ((size_t)count > s->size - s->position) {
        count = (OPJ_OFF_T)(s->size - s->position);
    }
    s->position += count;
    return count;
}

static OPJ_BOOL stream_seek(OPJ_OFF_T offset, void *user) {
    memory_stream *s = user;
    if (offset < 0 || (size_t)offset > s->size) return OPJ_FALSE;
    s->position = (size_t)offset;
    return OPJ_TRUE;
}

/* The first error OpenJPEG reports, kept for the caller's message. */
typedef struct {
    char *message;
    size_t message_size;
    int has_error;
} error_sink;

static void on_error(const char *text, void *user) {
    error_sink *sink = user;
    if (sink->has_error || sink->message_size == 0) return;
    sink->has_error = 1;
    snprintf(sink->message, sink->message_size, "JPEG 2000: %s", text);
    size_t n = strlen(sink->message);
    if (n > 0 && sink->message[n - 1] == '\n') sink->message[n - 1] = 0;
}

static void on_quiet(const char *text, void *user) { (void)text; (void)user; }

int imat_decode_jpeg2000(const uint8_t *data, size_t size, imat_frame_layout layout, uint8_t *out,
                         char *message, size_t message_size) {
    error_sink sink = {message, message_size, 0};
    /* A JP2 file starts with its signature box; a bare codestream with SOC then SIZ (FF4F FF51). */
    static const uint8_t jp2_signature[4] = {0x00, 0x00, 0x00, 0x0C};
    OPJ_CODEC_FORMAT format = size >= 4 && memcmp(data, jp2_signature, 4) == 0 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K;
    if (format == OPJ_CODEC_J2K && (size < 4 || data[0] != 0xFF || data[1] != 0x4F)) {
        snprintf(message, message_size, "JPEG 2000: the fragment starts with neither a codestream (FF4F) nor a JP2 signature");
        return 1;
    }
    /* A codestream ends with EOC (FFD9), before at most the byte that pads a DICOM fragment to even length.
     * OpenJPEG decodes a codestream cut short without complaint, even in strict mode, when its last tile-part
     * claims to run to the end; this check makes truncation an error. */
    if (format == OPJ_CODEC_J2K) {
        size_t end = size;
        if (end > 0 && data[end - 1] == 0x00) end--;
        if (end < 2 || data[end - 2] != 0xFF || data[end - 1] != 0xD9) {
            snprintf(message, message_size, "JPEG 2000: the codestream does not end with its EOC marker (FFD9): truncated");
            return 1;
        }
    }
    opj_codec_t *codec = opj_create_decompress(format);
    opj_stream_t *stream = opj_stream_create(1 << 16, OPJ_TRUE);
    opj_image_t *image = NULL;
    int status = 1;
    memory_stream source = {data, size, 0};
    if (codec == NULL || stream == NULL) {
        snprintf(message, message_size, "JPEG 2000: OpenJPEG could not create a decoder");
        goto done;
    }
    opj_stream_set_user_data(stream, &source, NULL);
    opj_stream_set_user_data_length(stream, size);
    opj_stream_set_read_function(stream, stream_read);
    opj_stream_set_skip_function(stream, stream_skip);
    opj_stream_set_seek_function(stream, stream_seek);
    opj_set_error_handler(codec, on_error, &sink);
    opj_set_warning_handler(codec, on_quiet, NULL);
    opj_set_info_handler(codec, on_quiet, NULL);

    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    if (!opj_setup_decoder(codec, &parameters) || !opj_decoder_set_strict_mode(codec, OPJ_TRUE)) goto failed;
    if (!opj_read_header(stream, codec, &image) || image == NULL) goto failed;
    if (image->numcomps != 1) {
        snprintf(message, message_size, "JPEG 2000: %u components where a greyscale image has 1", image->numcomps);
        goto done;
    }
    size_t width = image->x1 - image->x0, height = image->y1 - image->y0;
    if (width != layout.width || height != layout.height) {
        snprintf(message, message_size, "JPEG 2000: the codestream holds %zux%zu pixels where the DICOM header says %zux%zu",
                 width, height, layout.width, layout.height);
        goto done;
    }
    if (!opj_decode(codec, stream, image) || !opj_end_decompress(codec, stream)) goto failed;
    opj_image_comp_t *component = &image->comps[0];
    if (component->w != width || component->h != height || component->data == NULL || component->dx != 1 || component->dy != 1) {
        snprintf(message, message_size, "JPEG 2000: the decoded component is subsampled or missing");
        goto done;
    }
    if ((int)component->prec > layout.bytes_per_sample * 8) {
        snprintf(message, message_size, "JPEG 2000: %u-bit samples do not fit %d-bit pixels", component->prec, layout.bytes_per_sample * 8);
        goto done;
    }
    size_t count = width * height;
    for (size_t k = 0; k < count; k++) {
        uint32_t value = (uint32_t)component->data[k];
        out[k * layout.bytes_per_sample] = (uint8_t)value;
        if (layout.bytes_per_sample == 2) out[2 * k + 1] = (uint8_t)(value >> 8);
    }
    status = 0;
    goto done;
failed:
    if (!sink.has_error) snprintf(message, message_size, "JPEG 2000: OpenJPEG could not decode the codestream");
done:
    if (image) opj_image_destroy(image);
    if (stream) opj_stream_destroy(stream);
    if (codec) opj_destroy_codec(codec);
    return status;
}
