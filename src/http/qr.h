/* A QR code (libqrencode) drawn as inline SVG: for the authenticator app at enrolment. */
#ifndef ELEVLOS_QR_H
#define ELEVLOS_QR_H

#include "../core/util.h"

/* <svg role="img" aria-label=label> of text as a QR code (error correction M, a quiet zone of
 * four modules). Returns 0, or -1 when the text does not fit a QR code (nothing written). */
int qr_svg(buf_t *b, const char *text, const char *label);

#endif
