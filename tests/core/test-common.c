/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "wf-common.h"
#include "wf-error.h"

static void
test_le_reads(void)
{
	const guint8 bytes[] = {0x34, 0x12, 0x78, 0x56, 0xFF};

	g_assert_cmpuint(wf_common_read_le16(bytes), ==, 0x1234);
	g_assert_cmpuint(wf_common_read_le32(bytes), ==, 0x56781234);
	g_assert_cmpuint(wf_common_read_le32(bytes + 1), ==, 0xFF567812);
}

static void
test_bom(void)
{
	g_assert_cmpuint(wf_common_skip_bom("\xEF\xBB\xBFgeneral:", 11), ==, 3);
	g_assert_cmpuint(wf_common_skip_bom("general:", 8), ==, 0);
	/* a truncated BOM is not a BOM */
	g_assert_cmpuint(wf_common_skip_bom("\xEF\xBB", 2), ==, 0);
}

static void
test_lines(void)
{
	const gchar text[] = "a: 1\r\n\nlast";
	gsize pos = 0;
	const gchar *line = NULL;
	gsize len = 0;

	g_assert_true(wf_common_next_line(text, sizeof(text) - 1, &pos, &line, &len));
	/* CR is left to the caller, who trims (lenient CRLF handling lives there) */
	g_assert_cmpmem(line, len, "a: 1\r", 5);
	g_assert_true(wf_common_next_line(text, sizeof(text) - 1, &pos, &line, &len));
	g_assert_cmpuint(len, ==, 0);
	g_assert_true(wf_common_next_line(text, sizeof(text) - 1, &pos, &line, &len));
	g_assert_cmpmem(line, len, "last", 4);
	g_assert_false(wf_common_next_line(text, sizeof(text) - 1, &pos, &line, &len));
	pos = 0;
	g_assert_false(wf_common_next_line("", 0, &pos, &line, &len));
}

static void
test_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) file_error =
		g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_NOENT, "gone");

	g_assert_true(wf_common_errno_is_device_lost(EIO, FALSE));
	g_assert_true(wf_common_errno_is_device_lost(EPIPE, TRUE));
	g_assert_false(wf_common_errno_is_device_lost(EPIPE, FALSE));
	g_assert_false(wf_common_errno_is_device_lost(EAGAIN, FALSE));

	wf_common_set_file_error(&error, file_error);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_clear_error(&error);

	wf_common_set_device_lost(&error, "/dev/ttyACM0");
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_nonnull(strstr(error->message, "/dev/ttyACM0"));
	g_clear_error(&error);

	wf_common_set_read_timeout(&error, "/dev/ttyACM0", 250);
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "250"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/common/le-reads", test_le_reads);
	g_test_add_func("/common/bom", test_bom);
	g_test_add_func("/common/lines", test_lines);
	g_test_add_func("/common/errors", test_errors);
	return g_test_run();
}
