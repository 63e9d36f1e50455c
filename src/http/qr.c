#include "qr.h"

#include <qrencode.h>

#include "html.h"

#define QUIET 4

int qr_svg(buf_t *b, const char *text, const char *label)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -1;
	int w = q->width, size = w + 2 * QUIET;
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-qr\" role=\"img\" viewBox=\"0 0 %d %d\""
		   " width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" aria-label=\"",
		   size, size, size * 5, size * 5);
	html_text(b, label);
	buf_printf(b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size);
	/* One horizontal run of dark modules per subpath. */
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			buf_printf(b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	}
	buf_puts(b, "\"/></svg>");
	QRcode_free(q);
	return 0;
}
