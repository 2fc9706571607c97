#include "util/path.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool btc_path_is_absolute(const char *path)
{
	if (path[0] == '/' || path[0] == '\\')
		return true;
	return isalpha((unsigned char)path[0]) && path[1] == ':' && (path[2] == '/' || path[2] == '\\');
}

char *btc_path_portable(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n + 1);
	if (out == NULL)
		return NULL;

	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = path[i] == '\\' ? '/' : path[i];
		if (c == '/' && o > 1 && out[o - 1] == '/')
			continue;
		out[o++] = c;
	}
	out[o] = '\0';
	/* "./a" and "././a" name "a"; a lone "." stays. */
	char *p = out;
	while (p[0] == '.' && p[1] == '/' && p[2] != '\0')
		p += 2;
	if (p != out)
		memmove(out, p, strlen(p) + 1);
	return out;
}
