/* The pieces every inline SVG chart shares: the opening (named by its title, described by the
 * sentence written after it), text, a round gridline step, and the closing with that sentence. */
#ifndef ELEVLOS_SVG_H
#define ELEVLOS_SVG_H

#include "../core/util.h"

#define SVG_INK "#23262a"
#define SVG_GRID "#c6c2bf"

/* <svg role="img" …> of w × h user units with <title id=id>; aria-describedby id-summary. */
void svg_open(buf_t *b, double w, double h, const char *id, const char *title);
/* </svg> and the chart's text summary <p id="id-summary">: what a sighted reader takes from it. */
void svg_close(buf_t *b, const char *id, const char *summary);
/* Escaped text at (x, y); anchor "start", "middle" or "end". */
void svg_text(buf_t *b, double x, double y, const char *anchor, const char *s);
/* A round step (1, 2 or 5 times a power of ten) giving about five gridlines over range. */
double svg_step(double range);

#endif
