/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* helpers shared by the tests of the format parsers (header-only, static) */

static inline GBytes *
wf_test_load(const gchar *subdir, const gchar *name)
{
	const gchar *dir = g_getenv("WF_TESTDATA_DIR");
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error = NULL;
	gchar *data = NULL;
	gsize len = 0;

	g_assert_nonnull(dir);
	path = g_build_filename(dir, subdir, name, NULL);
	if (!g_file_get_contents(path, &data, &len, &error))
		g_error("cannot load test data %s: %s", path, error->message);
	return g_bytes_new_take(data, len);
}

static inline gchar *
wf_test_load_text(const gchar *subdir, const gchar *name)
{
	g_autoptr(GBytes) blob = wf_test_load(subdir, name);
	return g_strndup(g_bytes_get_data(blob, NULL), g_bytes_get_size(blob));
}

static inline GBytes *
wf_test_bytes_from_string(const gchar *text)
{
	return g_bytes_new(text, strlen(text));
}

static inline gchar *
wf_test_json_to_string(JsonNode *node)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_root(gen, node);
	json_generator_set_pretty(gen, TRUE);
	return json_generator_to_data(gen, NULL);
}

static inline void
wf_test_put16(guint8 *p, guint16 v)
{
	p[0] = v & 0xFF;
	p[1] = v >> 8;
}

static inline void
wf_test_put32(guint8 *p, guint32 v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = (v >> 24) & 0xFF;
}

/* asserts @error is set, in @domain/@code, and its message contains @needle */
#define wf_test_assert_error(error, domain, code, needle)                                          \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_assert_error((error), (domain), (code));                                         \
		if (strstr((error)->message, (needle)) == NULL)                                    \
			g_error("error ‘%s’ does not contain ‘%s’", (error)->message, (needle));   \
	}                                                                                          \
	G_STMT_END
