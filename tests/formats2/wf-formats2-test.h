/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wf-error.h"
#include "wf-sim-image.h"

/* helpers shared by the package and dump tests (header-only, static) */

static const guint8 wf_test_jedec[3] = {0xC8, 0x60, 0x17};
static const guint8 wf_test_me_id[16] = {0x10,
					 0x32,
					 0x54,
					 0x76,
					 0x98,
					 0xBA,
					 0xDC,
					 0xFE,
					 0x01,
					 0x23,
					 0x45,
					 0x67,
					 0x89,
					 0xAB,
					 0xCD,
					 0xEF};

static inline void
wf_test_spec_init(WfSimImageSpec *spec, gsize mib)
{
	wf_sim_image_spec_init(spec, mib * WF_SIM_IMAGE_MIB, wf_test_jedec, wf_test_me_id);
}

static inline GBytes *
wf_test_build(const WfSimImageSpec *spec)
{
	g_autoptr(GError) error = NULL;
	GBytes *img = wf_sim_image_build(spec, &error);
	g_assert_no_error(error);
	g_assert_nonnull(img);
	return img;
}

/* a fresh empty folder under the test's temporary directory */
static inline gchar *
wf_test_mkdtemp(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("wf-formats2-XXXXXX", &error);
	g_assert_no_error(error);
	return dir;
}

static inline void
wf_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	if (dir == NULL) {
		g_unlink(path);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		wf_test_rm_rf(child);
	}
	g_rmdir(path);
}

static inline GBytes *
wf_test_read_file(const gchar *dir, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	gchar *data = NULL;
	gsize len = 0;

	g_file_get_contents(path, &data, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

static inline void
wf_test_write_file(const gchar *dir, const gchar *name, const void *data, gsize len)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autofree gchar *parent = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(parent, 0755), ==, 0);
	g_file_set_contents(path, data, (gssize)len, &error);
	g_assert_no_error(error);
}

static inline void
wf_test_put32le(guint8 *p, guint32 v)
{
	for (guint i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xFF;
}

/*
 * Writes every regular file under @dir (names relative to @dir, with
 * @prefix in front) into an archive of @format: "zip", "7z" or "tar".
 */
static inline void
wf_test_archive_add_dir(struct archive *a, const gchar *root, const gchar *rel, const gchar *prefix)
{
	g_autofree gchar *path = rel != NULL ? g_build_filename(root, rel, NULL) : g_strdup(root);
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		const gchar *child = *(const gchar **)&g_ptr_array_index(names, i);
		g_autofree gchar *child_rel =
			rel != NULL ? g_strdup_printf("%s/%s", rel, child) : g_strdup(child);
		g_autofree gchar *child_path = g_build_filename(root, child_rel, NULL);
		g_autofree gchar *entry_name = NULL;
		g_autofree gchar *data = NULL;
		struct archive_entry *entry;
		gsize len = 0;

		if (g_file_test(child_path, G_FILE_TEST_IS_DIR)) {
			wf_test_archive_add_dir(a, root, child_rel, prefix);
			continue;
		}
		g_assert_true(g_file_get_contents(child_path, &data, &len, NULL));
		entry_name = prefix != NULL ? g_strdup_printf("%s%s", prefix, child_rel)
					    : g_strdup(child_rel);
		entry = archive_entry_new();
		archive_entry_set_pathname(entry, entry_name);
		archive_entry_set_size(entry, (la_int64_t)len);
		archive_entry_set_filetype(entry, AE_IFREG);
		archive_entry_set_perm(entry, 0644);
		g_assert_cmpint(archive_write_header(a, entry), ==, ARCHIVE_OK);
		g_assert_cmpint(archive_write_data(a, data, len), ==, (la_ssize_t)len);
		archive_entry_free(entry);
	}
}

static inline void
wf_test_make_archive(const gchar *dir, const gchar *prefix, const gchar *format, const gchar *out)
{
	struct archive *a = archive_write_new();

	if (g_strcmp0(format, "zip") == 0)
		g_assert_cmpint(archive_write_set_format_zip(a), ==, ARCHIVE_OK);
	else if (g_strcmp0(format, "7z") == 0)
		g_assert_cmpint(archive_write_set_format_7zip(a), ==, ARCHIVE_OK);
	else
		g_assert_cmpint(archive_write_set_format_pax_restricted(a), ==, ARCHIVE_OK);
	g_assert_cmpint(archive_write_open_filename(a, out), ==, ARCHIVE_OK);
	wf_test_archive_add_dir(a, dir, NULL, prefix);
	g_assert_cmpint(archive_write_close(a), ==, ARCHIVE_OK);
	archive_write_free(a);
}
