/* Putting an export in place all or nothing: a temporary file beside the target, renamed over it. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"

int export_write_file(const char *path, const void *data, size_t len, char *err, size_t errsz)
{
	/* The temporary file must be in the target's directory: rename() is atomic only there. */
	char *copy = xstrdup(path), *tmp;
	const char *dir = dirname(copy);
	size_t n = strlen(dir) + 32;
	tmp = xmalloc(n);
	snprintf(tmp, n, "%s/.elevlos-export.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		free(copy);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	int e = 0;
	while (left > 0 && !e) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else {
			p += w;
			left -= (size_t)w;
		}
	}
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		snprintf(err, errsz, "cannot write %s: %s", path, strerror(e));
	} else {
		/* The rename itself reaches the disk with the directory. */
		int d = open(dir, O_RDONLY | O_DIRECTORY);
		if (d >= 0) {
			(void)fsync(d);
			close(d);
		}
	}
	free(tmp);
	free(copy);
	return e ? -1 : 0;
}
