#include "svg.h"

#include <math.h>

#include "html.h"

void svg_open(buf_t *b, double w, double h, const char *id, const char *title)
{
	buf_printf(b,
		   "<svg class=\"app-chart\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" "
		   "preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\" "
		   "font-family=\"system-ui, sans-serif\" font-size=\"13\" aria-labelledby=\"",
		   w, h);
	html_text(b, id);
	html_raw(b, "\" aria-describedby=\"");
	html_text(b, id);
	html_raw(b, "-summary\">");
	html_tag(b, "title", "id", id, HTML_END);
	html_text(b, title);
	html_raw(b, "</title>");
}

void svg_close(buf_t *b, const char *id, const char *summary)
{
	html_raw(b, "</svg><p class=\"app-chart-summary\" id=\"");
	html_text(b, id);
	html_raw(b, "-summary\">");
	html_text(b, summary);
	html_raw(b, "</p>");
}

void svg_text(buf_t *b, double x, double y, const char *anchor, const char *s)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"" SVG_INK "\">", x, y, anchor);
	html_text(b, s);
	html_raw(b, "</text>");
}

double svg_step(double range)
{
	double raw = range / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return mag * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
}
