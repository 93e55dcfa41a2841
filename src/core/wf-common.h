/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* little-endian fields of on-flash structures; the caller checks the bounds */
guint16
wf_common_read_le16(const guint8 *p);
guint32
wf_common_read_le32(const guint8 *p);

/* text files */
gsize
wf_common_skip_bom(const gchar *data, gsize size);
gboolean
wf_common_next_line(const gchar *data, gsize size, gsize *pos, const gchar **line, gsize *len);

/* errors shared by several readers and transports */
void
wf_common_set_file_error(GError **error, const GError *file_error);
gboolean
wf_common_errno_is_device_lost(int errsv, gboolean writing);
void
wf_common_set_device_lost(GError **error, const gchar *path);
void
wf_common_set_read_timeout(GError **error, const gchar *path, guint timeout_ms);
void
wf_common_set_write_timeout(
	GError **error, const gchar *path, guint timeout_ms, gsize done, gsize len);

G_END_DECLS
