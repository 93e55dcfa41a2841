/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-common.h"

#include <errno.h>
#include <string.h>

#include "wf-error.h"

/*
 * Small helpers that several parsers and both transports need in exactly the
 * same form, so that a message or a byte order is defined once. The watch
 * simulator keeps its own copies on purpose: it must not share code with the
 * client it tests.
 */

/**
 * wf_common_read_le16:
 * @p: at least 2 readable bytes
 *
 * Returns: the little-endian 16-bit value at @p
 */
guint16
wf_common_read_le16(const guint8 *p)
{
	g_return_val_if_fail(p != NULL, 0);
	return (guint16)(p[0] | (p[1] << 8));
}

/**
 * wf_common_read_le32:
 * @p: at least 4 readable bytes
 *
 * Returns: the little-endian 32-bit value at @p
 */
guint32
wf_common_read_le32(const guint8 *p)
{
	g_return_val_if_fail(p != NULL, 0);
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

/**
 * wf_common_skip_bom:
 * @data: text
 * @size: bytes in @data
 *
 * Returns: 3 when @data starts with a UTF-8 byte order mark (some Windows
 * editors write one), else 0: where the text proper starts
 */
gsize
wf_common_skip_bom(const gchar *data, gsize size)
{
	g_return_val_if_fail(data != NULL || size == 0, 0);
	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		return 3;
	return 0;
}

/**
 * wf_common_next_line:
 * @data: text, not necessarily NUL-terminated
 * @size: bytes in @data
 * @pos: (inout): where the next line starts; moved past its newline
 * @line: (out): the line's first byte
 * @len: (out): its length without the newline (a CR stays)
 *
 * Returns: %FALSE when @pos is at the end of @data
 */
gboolean
wf_common_next_line(const gchar *data, gsize size, gsize *pos, const gchar **line, gsize *len)
{
	const gchar *nl;

	g_return_val_if_fail(data != NULL || size == 0, FALSE);
	g_return_val_if_fail(pos != NULL && line != NULL && len != NULL, FALSE);
	if (*pos >= size)
		return FALSE;
	*line = data + *pos;
	nl = memchr(*line, '\n', size - *pos);
	*len = nl != NULL ? (gsize)(nl - *line) : size - *pos;
	*pos += *len + (nl != NULL ? 1 : 0);
	return TRUE;
}

/**
 * wf_common_set_file_error:
 * @error: (out): return location
 * @file_error: a %G_FILE_ERROR from loading a file
 *
 * Sets %WF_ERROR_NOT_FOUND for a missing file and %WF_ERROR_READ for any
 * other failure, keeping GLib's message (it names the file).
 */
void
wf_common_set_file_error(GError **error, const GError *file_error)
{
	g_return_if_fail(file_error != NULL);
	g_set_error(error,
		    WF_ERROR,
		    g_error_matches(file_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
			    ? WF_ERROR_NOT_FOUND
			    : WF_ERROR_READ,
		    "%s",
		    file_error->message);
}

/**
 * wf_common_errno_is_device_lost:
 * @errsv: an errno from reading or writing a serial port
 * @writing: whether it came from a write (EPIPE counts there)
 *
 * Returns: whether the port itself is gone (unplugged or reset)
 */
gboolean
wf_common_errno_is_device_lost(int errsv, gboolean writing)
{
	if (errsv == EPIPE)
		return writing;
	return errsv == EIO || errsv == ENODEV || errsv == ENXIO;
}

/**
 * wf_common_set_device_lost:
 * @error: (out): return location
 * @path: the port
 *
 * Sets %WF_ERROR_DEVICE_LOST with the wording every transport uses.
 */
void
wf_common_set_device_lost(GError **error, const gchar *path)
{
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_DEVICE_LOST,
		    "%s went away (the watch was unplugged or reset)",
		    path);
}

/**
 * wf_common_set_read_timeout:
 * @error: (out): return location
 * @path: the port
 * @timeout_ms: how long the read waited
 *
 * Sets %WF_ERROR_TIMED_OUT for a read that got nothing.
 */
void
wf_common_set_read_timeout(GError **error, const gchar *path, guint timeout_ms)
{
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_TIMED_OUT,
		    "no data from %s within %u ms",
		    path,
		    timeout_ms);
}

/**
 * wf_common_set_write_timeout:
 * @error: (out): return location
 * @path: the port
 * @timeout_ms: how long the write waited
 * @done: bytes that went out
 * @len: bytes that should have
 *
 * Sets %WF_ERROR_TIMED_OUT for a write the port did not take in time.
 */
void
wf_common_set_write_timeout(
	GError **error, const gchar *path, guint timeout_ms, gsize done, gsize len)
{
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_TIMED_OUT,
		    "writing to %s timed out after %u ms: sent %" G_GSIZE_FORMAT
		    " of %" G_GSIZE_FORMAT " bytes",
		    path,
		    timeout_ms,
		    done,
		    len);
}
