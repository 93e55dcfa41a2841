/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "wf-error.h"
#include "wf-flash-history.h"

#define ME_ID_A "0123456789abcdef0123456789abcdef"
#define ME_ID_B "fedcba9876543210fedcba9876543210"

static WfFlashHistoryEntry *
make_entry(const gchar *me_id, const gchar *result)
{
	WfFlashHistoryEntry *entry = wf_flash_history_entry_new(WF_FLASH_HISTORY_OP_FLASH, me_id);

	entry->method = g_strdup("sfi");
	entry->method_reason = g_strdup("a reason");
	g_free(entry->result);
	entry->result = g_strdup(result);
	entry->jedec_id = g_strdup("C22016");
	entry->chip = g_strdup("MT6261DA");
	entry->seconds = 1.5;
	entry->bytes_written = 4096;
	wf_flash_history_entry_add_source(entry, "/fw/ROM", "ab12", 1234);
	wf_flash_history_entry_add_region(
		entry, "ROM", 0x10000, 0x1000, "cd34", WF_FLASH_HISTORY_REGION_VERIFIED);
	return entry;
}

/* the default folder follows XDG_DATA_HOME (isolated by the test harness) */
static void
test_default_dir(void)
{
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(NULL);
	g_autofree gchar *expected =
		g_build_filename(g_get_user_data_dir(), "wristflash", "history", NULL);
	g_autofree gchar *path = wf_flash_history_get_path(history, "ABCDEF");

	g_assert_cmpstr(wf_flash_history_get_dir(history), ==, expected);
	g_assert_true(g_str_has_prefix(path, expected));
	g_assert_true(g_str_has_suffix(path, "/abcdef.json"));
}

static void
test_append_and_load(void)
{
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(NULL);
	g_autoptr(WfFlashHistoryEntry) first = make_entry(ME_ID_A, WF_FLASH_HISTORY_RESULT_OK);
	g_autoptr(WfFlashHistoryEntry) second =
		make_entry(ME_ID_A, WF_FLASH_HISTORY_RESULT_INTERRUPTED);
	g_autoptr(WfFlashHistoryEntry) other = make_entry(ME_ID_B, WF_FLASH_HISTORY_RESULT_OK);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) watches = NULL;
	WfFlashHistoryEntry *loaded;
	WfFlashHistorySource *source;
	WfFlashHistoryRegion *region;

	/* nothing yet: an empty list, not an error */
	entries = wf_flash_history_load(history, ME_ID_A, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 0);
	g_clear_pointer(&entries, g_ptr_array_unref);
	watches = wf_flash_history_list_watches(history, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(watches), ==, 0);
	g_clear_pointer(&watches, g_strfreev);

	second->error = g_strdup("the cable was pulled");
	g_assert_true(wf_flash_history_append(history, first, &error));
	g_assert_no_error(error);
	g_assert_true(wf_flash_history_append(history, second, &error));
	g_assert_no_error(error);
	g_assert_true(wf_flash_history_append(history, other, &error));
	g_assert_no_error(error);

	entries = wf_flash_history_load(history, ME_ID_A, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 2);
	loaded = g_ptr_array_index(entries, 0);
	g_assert_cmpstr(loaded->operation, ==, WF_FLASH_HISTORY_OP_FLASH);
	g_assert_cmpstr(loaded->result, ==, WF_FLASH_HISTORY_RESULT_OK);
	g_assert_cmpstr(loaded->method, ==, "sfi");
	g_assert_cmpstr(loaded->method_reason, ==, "a reason");
	g_assert_cmpstr(loaded->me_id, ==, ME_ID_A);
	g_assert_cmpstr(loaded->jedec_id, ==, "C22016");
	g_assert_cmpfloat_with_epsilon(loaded->seconds, 1.5, 1e-9);
	g_assert_cmpuint(loaded->bytes_written, ==, 4096);
	g_assert_true(g_date_time_equal(loaded->started, first->started));
	g_assert_cmpuint(loaded->sources->len, ==, 1);
	source = g_ptr_array_index(loaded->sources, 0);
	g_assert_cmpstr(source->path, ==, "/fw/ROM");
	g_assert_cmpstr(source->sha256, ==, "ab12");
	g_assert_cmpuint(source->size, ==, 1234);
	g_assert_cmpuint(loaded->regions->len, ==, 1);
	region = g_ptr_array_index(loaded->regions, 0);
	g_assert_cmpuint(region->offset, ==, 0x10000);
	g_assert_cmpuint(region->length, ==, 0x1000);
	g_assert_cmpstr(region->state, ==, WF_FLASH_HISTORY_REGION_VERIFIED);
	loaded = g_ptr_array_index(entries, 1);
	g_assert_cmpstr(loaded->result, ==, WF_FLASH_HISTORY_RESULT_INTERRUPTED);
	g_assert_cmpstr(loaded->error, ==, "the cable was pulled");

	watches = wf_flash_history_list_watches(history, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(watches), ==, 2);
	g_assert_cmpstr(watches[0], ==, ME_ID_A);
	g_assert_cmpstr(watches[1], ==, ME_ID_B);
}

/* an ME ID names a file: nothing but hex gets through */
static void
test_bad_me_id(void)
{
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(NULL);
	g_autoptr(WfFlashHistoryEntry) entry = make_entry("../../etc", WF_FLASH_HISTORY_RESULT_OK);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = NULL;

	g_assert_false(wf_flash_history_append(history, entry, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	entries = wf_flash_history_load(history, "", &error);
	g_assert_null(entries);
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_null(wf_flash_history_get_path(history, "12/34"));
}

/* a damaged history is never overwritten: it is kept aside and a new one starts */
static void
test_damaged_file_kept(void)
{
	g_autofree gchar *dir = g_build_filename(g_get_user_data_dir(), "damaged-history", NULL);
	g_autoptr(WfFlashHistory) history = wf_flash_history_new(dir);
	g_autofree gchar *path = wf_flash_history_get_path(history, ME_ID_A);
	g_autoptr(WfFlashHistoryEntry) entry = make_entry(ME_ID_A, WF_FLASH_HISTORY_RESULT_OK);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) listing = NULL;
	const gchar *name;
	guint aside = 0;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, "{ not json", -1, NULL));
	entries = wf_flash_history_load(history, ME_ID_A, &error);
	g_assert_null(entries);
	g_assert_nonnull(error);
	g_clear_error(&error);

	g_test_expect_message("Wristflash", G_LOG_LEVEL_WARNING, "*could not be read*");
	g_assert_true(wf_flash_history_append(history, entry, &error));
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	entries = wf_flash_history_load(history, ME_ID_A, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(entries->len, ==, 1);
	listing = g_dir_open(dir, 0, &error);
	g_assert_no_error(error);
	while ((name = g_dir_read_name(listing)) != NULL) {
		if (g_str_has_prefix(name, ME_ID_A ".json.damaged-")) {
			g_autofree gchar *kept = g_build_filename(dir, name, NULL);
			g_autofree gchar *contents = NULL;
			g_assert_true(g_file_get_contents(kept, &contents, NULL, NULL));
			g_assert_cmpstr(contents, ==, "{ not json");
			aside++;
		}
	}
	g_assert_cmpuint(aside, ==, 1);
}

static void
test_entry_requires_fields(void)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	WfFlashHistoryEntry *entry;

	g_assert_true(json_parser_load_from_data(parser, "{\"operation\":\"flash\"}", -1, NULL));
	entry = wf_flash_history_entry_from_json(json_node_get_object(json_parser_get_root(parser)),
						 &error);
	g_assert_null(entry);
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_clear_error(&error);
	g_assert_true(json_parser_load_from_data(
		parser,
		"{\"operation\":\"flash\",\"started\":\"2026-01-02T03:04:05Z\",\"result\":\"ok\","
		"\"regions\":[{\"offset\":-1,\"length\":4,\"state\":\"verified\"}]}",
		-1,
		NULL));
	entry = wf_flash_history_entry_from_json(json_node_get_object(json_parser_get_root(parser)),
						 &error);
	g_assert_null(entry);
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/flash-history/default-dir", test_default_dir);
	g_test_add_func("/flash-history/append-and-load", test_append_and_load);
	g_test_add_func("/flash-history/bad-me-id", test_bad_me_id);
	g_test_add_func("/flash-history/damaged-file-kept", test_damaged_file_kept);
	g_test_add_func("/flash-history/entry-requires-fields", test_entry_requires_fields);
	return g_test_run();
}
