/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-brom.h"
#include "wf-error.h"
#include "wf-test-script.h"

/* short, so that silence tests are quick; replies in a script are instant */
#define TEST_TIMEOUT_MS 40

typedef struct {
	WfTestScript *script;
	WfBrom *brom;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->script = wf_test_script_new();
	f->brom = wf_brom_new(WF_TRANSPORT(f->script));
	wf_brom_set_timeout(f->brom, TEST_TIMEOUT_MS);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_object_unref(f->brom);
	g_object_unref(f->script);
}

/* a command that must work after a failure: the line is clean again */
static void
assert_next_command_works(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	guint8 version = 0;

	wf_test_script_expect(f->script, "FF");
	wf_test_script_reply(f->script, "05");
	g_assert_true(wf_brom_get_version(f->brom, &version, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(version, ==, 0x05);
}

/* ------------------------------------------------------------------------ */
/* handshake */

static void
test_handshake_clean(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;

	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	wf_test_script_expect(f->script, "0A");
	wf_test_script_reply(f->script, "F5");
	wf_test_script_expect(f->script, "50");
	wf_test_script_reply(f->script, "AF");
	wf_test_script_expect(f->script, "05");
	wf_test_script_reply(f->script, "FA");
	g_assert_true(wf_brom_handshake(f->brom, 1000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_DONE);
	/* one byte at a time, each waiting for its reply */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 4);
	g_assert_cmpuint(wf_test_script_get_max_unread_at_write(f->script), ==, 0);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_resync(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;

	/* the boot ROM was half-way (expecting 0A): A0 is wrong, it answers
	 * b+1 = A1 and restarts; so do we */
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "A1");
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	/* a wrong reply in the middle: restart from A0 again */
	wf_test_script_expect(f->script, "0A");
	wf_test_script_reply(f->script, "0B");
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	wf_test_script_expect(f->script, "0A");
	wf_test_script_reply(f->script, "F5");
	wf_test_script_expect(f->script, "50");
	wf_test_script_reply(f->script, "AF");
	wf_test_script_expect(f->script, "05");
	wf_test_script_reply(f->script, "FA");
	g_assert_true(wf_brom_handshake(f->brom, 1000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_DONE);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_already_done(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;

	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "A0");
	g_assert_true(wf_brom_handshake(f->brom, 1000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_ALREADY_DONE);
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 1);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_late_start(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;
	gint64 start = g_get_monotonic_time();

	/* the first two A0 go nowhere (USB not configured yet) */
	wf_test_script_expect(f->script, "A0");
	wf_test_script_expect(f->script, "A0");
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	wf_test_script_expect(f->script, "0A");
	wf_test_script_reply(f->script, "F5");
	wf_test_script_expect(f->script, "50");
	wf_test_script_reply(f->script, "AF");
	wf_test_script_expect(f->script, "05");
	wf_test_script_reply(f->script, "FA");
	g_assert_true(wf_brom_handshake(f->brom, 2000, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_DONE);
	/* two short per-byte waits, not two full command timeouts */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 500 * 1000);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_zero_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	WfBromHandshakeResult result = 99;

	/* even with no time left there is one attempt, and a sequence that
	 * has started is finished */
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	wf_test_script_expect(f->script, "0A");
	wf_test_script_reply(f->script, "F5");
	wf_test_script_expect(f->script, "50");
	wf_test_script_reply(f->script, "AF");
	wf_test_script_expect(f->script, "05");
	wf_test_script_reply(f->script, "FA");
	g_assert_true(wf_brom_handshake(f->brom, 0, &result, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(result, ==, WF_BROM_HANDSHAKE_DONE);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();
	gint64 elapsed_ms;

	wf_test_script_expect_repeated(f->script, 0xA0);
	g_assert_false(wf_brom_handshake(f->brom, 150, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "150 ms"));
	elapsed_ms = (g_get_monotonic_time() - start) / 1000;
	g_assert_cmpint(elapsed_ms, >=, 140);
	g_assert_cmpint(elapsed_ms, <, 1000);
	/* A0 is repeated every ~20 ms while nothing answers */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), >=, 4);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_garbage(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	/* a normally booted watch printing text */
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "48 65 6C 6C 6F");
	wf_test_script_expect_any(f->script);
	g_assert_false(wf_brom_handshake(f->brom, 100, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "48"));
	/* the rest of the text was thrown away rather than read byte by byte */
	g_assert_cmpuint(wf_test_script_get_n_discards(f->script), >=, 1);
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_disconnect(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	wf_test_script_expect(f->script, "0A");
	wf_test_script_disconnect(f->script);
	g_assert_false(wf_brom_handshake(f->brom, 5000, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 1000 * 1000);
}

static void
test_handshake_cancelled(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();

	g_cancellable_cancel(cancellable);
	wf_test_script_expect_repeated(f->script, 0xA0);
	g_assert_false(wf_brom_handshake(f->brom, 5000, NULL, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ------------------------------------------------------------------------ */
/* reads */

static void
test_read16_legacy(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint16 words[2] = {0};

	wf_test_script_echo(f->script, "A2 80000000 00000001");
	wf_test_script_reply(f->script, "CB01");
	g_assert_true(wf_brom_read16_legacy(f->brom, 0x80000000, words, 1, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(words[0], ==, 0xCB01);

	wf_test_script_echo(f->script, "A2 A01C0108 00000002");
	wf_test_script_reply(f->script, "0000 35C0");
	g_assert_true(wf_brom_read16_legacy(f->brom, 0xA01C0108, words, 2, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(words[0], ==, 0x0000);
	g_assert_cmpuint(words[1], ==, 0x35C0);
	/* the header goes out in one write, not byte by byte */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 2);
	wf_test_script_assert_finished(f->script);
}

static void
test_read16_legacy_silence(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint16 word = 0;

	/* a refused A2 read just stops after the echo */
	wf_test_script_echo(f->script, "A2 FFF00000 00000001");
	g_assert_false(wf_brom_read16_legacy(f->brom, 0xFFF00000, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "A2"));
	g_assert_nonnull(strstr(error->message, "0xFFF00000"));
	g_assert_nonnull(strstr(error->message, "0 of 2 bytes"));
	wf_test_script_assert_finished(f->script);
}

static void
test_read16(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint16 word = 0;

	wf_test_script_echo(f->script, "D0 A0700A24 00000001");
	wf_test_script_reply(f->script, "0000 0010 0000");
	g_assert_true(wf_brom_read16(f->brom, 0xA0700A24, &word, 1, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(word, ==, 0x0010);

	wf_test_script_echo(f->script, "D0 A0700A25 00000001");
	wf_test_script_reply(f->script, "1D06");
	g_assert_false(wf_brom_read16(f->brom, 0xA0700A25, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x1D06"));
	g_assert_nonnull(strstr(error->message, "odd address"));
	wf_test_script_assert_finished(f->script);
}

static void
test_read32(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 words[2] = {0};

	wf_test_script_echo(f->script, "D1 A01C0108 00000001");
	wf_test_script_reply(f->script, "0000 35C00000 0000");
	g_assert_true(wf_brom_read32(f->brom, 0xA01C0108, words, 1, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(words[0], ==, 0x35C00000);

	wf_test_script_echo(f->script, "D1 A0140000 00000002");
	wf_test_script_reply(f->script, "0000 12345678 9ABCDEF0 0000");
	g_assert_true(wf_brom_read32(f->brom, 0xA0140000, words, 2, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(words[0], ==, 0x12345678);
	g_assert_cmpuint(words[1], ==, 0x9ABCDEF0);
	wf_test_script_assert_finished(f->script);
}

static void
test_read32_status_errors(Fixture *f, gconstpointer data)
{
	const struct {
		guint32 addr;
		const gchar *status;
		const gchar *words;
	} cases[] = {
		{0xFFF00000, "1D08", "protected"},
		{0x00000002, "1D07", "multiple of 4"},
		{0xA0110000, "1D0A", "second range check"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *hdr = g_strdup_printf("D1 %08X 00000001", cases[i].addr);
		g_autofree gchar *code = g_strdup_printf("0x%s", cases[i].status);
		guint32 word = 0;

		/* an error is one status word, no data, no second status */
		wf_test_script_echo(f->script, hdr);
		wf_test_script_reply(f->script, cases[i].status);
		g_assert_false(wf_brom_read32(f->brom, cases[i].addr, &word, 1, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
		g_assert_nonnull(strstr(error->message, code));
		g_assert_nonnull(strstr(error->message, cases[i].words));
		g_assert_nonnull(strstr(error->message, "D1 READ32"));
	}
	wf_test_script_assert_finished(f->script);
	assert_next_command_works(f);
}

static void
test_read32_short_reply(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 word = 0;

	wf_test_script_echo(f->script, "D1 A01C0108 00000001");
	wf_test_script_reply(f->script, "0000 35C0");
	g_assert_false(wf_brom_read32(f->brom, 0xA01C0108, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "D1 READ32"));
	g_assert_nonnull(strstr(error->message, "2 of 4 bytes"));
	wf_test_script_assert_finished(f->script);
	assert_next_command_works(f);
}

static void
test_read32_slow_but_steady(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 words[2] = {0};

	/* the whole reply takes longer than the timeout, but no single gap
	 * does: the timeout is for silence */
	wf_test_script_echo(f->script, "D1 00000000 00000002");
	wf_test_script_delay(f->script, 25);
	wf_test_script_reply(f->script, "0000");
	wf_test_script_delay(f->script, 25);
	wf_test_script_reply(f->script, "11111111");
	wf_test_script_delay(f->script, 25);
	wf_test_script_reply(f->script, "22222222 0000");
	g_assert_true(wf_brom_read32(f->brom, 0, words, 2, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(words[1], ==, 0x22222222);
	wf_test_script_assert_finished(f->script);
}

static void
test_read_fragmented(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 word = 0;

	/* a link that hands over one byte per read */
	wf_test_script_set_max_read(f->script, 1);
	wf_test_script_echo(f->script, "D1 A01C0108 00000001");
	wf_test_script_reply(f->script, "0000 35C00000 0000");
	g_assert_true(wf_brom_read32(f->brom, 0xA01C0108, &word, 1, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(word, ==, 0x35C00000);
	wf_test_script_assert_finished(f->script);
}

static void
test_wrong_echo_resync(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 word = 0;

	/* the watch echoes a different count and then runs on with data that
	 * would poison the next command */
	wf_test_script_expect(f->script, "D1 A01C0108 00000001");
	wf_test_script_reply(f->script, "D1 A01C0108 00000002 0000 35C00000 00000000 0000");
	g_assert_false(wf_brom_read32(f->brom, 0xA01C0108, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "D1 READ32"));
	g_assert_nonnull(strstr(error->message, "D1 A0 1C 01 08 00 00 00 02"));
	g_assert_nonnull(strstr(error->message, "D1 A0 1C 01 08 00 00 00 01"));
	/* everything was drained */
	g_assert_cmpuint(wf_test_script_get_unread(f->script), ==, 0);
	assert_next_command_works(f);
	wf_test_script_assert_finished(f->script);
}

static void
test_read_cancelled(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	guint32 word = 0;

	g_cancellable_cancel(cancellable);
	wf_test_script_expect_any(f->script);
	g_assert_false(wf_brom_read32(f->brom, 0, &word, 1, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_disconnect_mid_command(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 word = 0;

	wf_test_script_echo(f->script, "D1 00000000 00000001");
	wf_test_script_reply(f->script, "0000 12");
	wf_test_script_disconnect(f->script);
	g_assert_false(wf_brom_read32(f->brom, 0, &word, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_nonnull(strstr(error->message, "D1 READ32"));
}

/* ------------------------------------------------------------------------ */
/* read_memory */

typedef struct {
	guint calls;
	gsize last_done;
	gsize total;
} ProgressCount;

static void
progress_cb(gsize done, gsize total, gpointer user_data)
{
	ProgressCount *p = user_data;
	g_assert_cmpuint(done, >, p->last_done);
	p->calls++;
	p->last_done = done;
	p->total = total;
}

static guint8 *
make_memory(gsize len)
{
	guint8 *mem = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		mem[i] = (guint8)(i * 7 + (i >> 8));
	return mem;
}

static void
read_memory_with_depth(Fixture *f, guint depth)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *mem = make_memory(40);
	guint8 buf[40] = {0};
	ProgressCount progress = {0};

	/* chunks of 16, 16 and 8 bytes */
	wf_test_script_brom_read_memory(f->script, 0x1000, mem, 16);
	wf_test_script_brom_read_memory(f->script, 0x1010, mem + 16, 16);
	wf_test_script_brom_read_memory(f->script, 0x1020, mem + 32, 8);
	g_assert_true(wf_brom_read_memory(f->brom,
					  0x1000,
					  buf,
					  sizeof(buf),
					  16,
					  depth,
					  progress_cb,
					  &progress,
					  NULL,
					  &error));
	g_assert_no_error(error);
	/* words came back in memory order */
	g_assert_cmpmem(buf, sizeof(buf), mem, 40);
	g_assert_cmpuint(progress.calls, ==, 3);
	g_assert_cmpuint(progress.last_done, ==, 40);
	g_assert_cmpuint(progress.total, ==, 40);
	wf_test_script_assert_finished(f->script);
}

static void
test_read_memory_depth1(Fixture *f, gconstpointer data)
{
	read_memory_with_depth(f, 1);
	/* strictly one request at a time */
	g_assert_cmpuint(wf_test_script_get_max_unread_at_write(f->script), ==, 0);
}

static void
test_read_memory_depth2(Fixture *f, gconstpointer data)
{
	read_memory_with_depth(f, 2);
	/* the next request went out while an answer was still unread */
	g_assert_cmpuint(wf_test_script_get_max_unread_at_write(f->script), >, 0);
}

static void
test_read_memory_defaults(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gsize len = 2 * WF_BROM_DEFAULT_CHUNK_SIZE + 4;
	g_autofree guint8 *mem = make_memory(len);
	g_autofree guint8 *buf = g_malloc0(len);

	wf_test_script_brom_read_memory(f->script, 0, mem, WF_BROM_DEFAULT_CHUNK_SIZE);
	wf_test_script_brom_read_memory(f->script,
					WF_BROM_DEFAULT_CHUNK_SIZE,
					mem + WF_BROM_DEFAULT_CHUNK_SIZE,
					WF_BROM_DEFAULT_CHUNK_SIZE);
	wf_test_script_brom_read_memory(
		f->script, 2 * WF_BROM_DEFAULT_CHUNK_SIZE, mem + 2 * WF_BROM_DEFAULT_CHUNK_SIZE, 4);
	g_assert_true(wf_brom_read_memory(f->brom, 0, buf, len, 0, 0, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(buf, len, mem, len);
	/* default depth 2: one full chunk answer was still queued at most */
	g_assert_cmpuint(wf_test_script_get_max_unread_at_write(f->script),
			 ==,
			 9 + 4 + WF_BROM_DEFAULT_CHUNK_SIZE);
	wf_test_script_assert_finished(f->script);
}

static void
test_read_memory_error_in_flight(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *mem = make_memory(48);
	guint8 buf[48];

	wf_test_script_brom_read_memory(f->script, 0x0, mem, 16);
	wf_test_script_echo(f->script, "D1 00000010 00000004");
	wf_test_script_reply(f->script, "1D08");
	/* already on its way when the error is seen */
	wf_test_script_brom_read_memory(f->script, 0x20, mem + 32, 16);
	g_assert_false(
		wf_brom_read_memory(f->brom, 0, buf, sizeof(buf), 16, 2, NULL, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x00000010"));
	g_assert_nonnull(strstr(error->message, "protected"));
	/* the answer to the request in flight was drained */
	g_assert_cmpuint(wf_test_script_get_unread(f->script), ==, 0);
	assert_next_command_works(f);
	wf_test_script_assert_finished(f->script);
}

static void
test_read_memory_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *mem = make_memory(16);
	guint8 buf[32];

	wf_test_script_brom_read_memory(f->script, 0x0, mem, 16);
	wf_test_script_echo(f->script, "D1 00000010 00000004");
	wf_test_script_reply(f->script, "0000 01020304 0506");
	g_assert_false(
		wf_brom_read_memory(f->brom, 0, buf, sizeof(buf), 16, 2, NULL, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "0x00000010"));
	g_assert_nonnull(strstr(error->message, "6 of 16 bytes"));
	wf_test_script_assert_finished(f->script);
}

/* ------------------------------------------------------------------------ */
/* writes */

static void
test_write16(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint16 values[] = {0x2200};

	wf_test_script_echo(f->script, "D2 A0030000 00000001");
	wf_test_script_reply(f->script, "0001");
	wf_test_script_expect(f->script, "2200");
	wf_test_script_reply(f->script, "2200 0001");
	g_assert_true(wf_brom_write16(f->brom, 0xA0030000, values, 1, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_write16_masked(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint16 values[] = {0x1234, 0x5678};

	/* the masked-write class answers a status other than 1 but < 0x100 */
	wf_test_script_echo(f->script, "D2 70008000 00000002");
	wf_test_script_reply(f->script, "0003");
	wf_test_script_expect(f->script, "1234");
	wf_test_script_reply(f->script, "1234 0003");
	wf_test_script_expect(f->script, "5678");
	wf_test_script_reply(f->script, "5678 0000");
	g_assert_true(wf_brom_write16(f->brom, 0x70008000, values, 2, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_write_status_errors(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint16 v16 = 0x1;
	const guint32 v32 = 0x1;

	wf_test_script_echo(f->script, "D2 FFF00000 00000001");
	wf_test_script_reply(f->script, "1D02");
	g_assert_false(wf_brom_write16(f->brom, 0xFFF00000, &v16, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "D2 WRITE16"));
	g_assert_nonnull(strstr(error->message, "0x1D02"));
	g_assert_nonnull(strstr(error->message, "protected"));
	g_clear_error(&error);

	wf_test_script_echo(f->script, "D4 A0510002 00000001");
	wf_test_script_reply(f->script, "1D01");
	g_assert_false(wf_brom_write32(f->brom, 0xA0510002, &v32, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "D4 WRITE32"));
	g_assert_nonnull(strstr(error->message, "0x1D01"));
	g_clear_error(&error);

	/* a failing status after a value */
	wf_test_script_echo(f->script, "D2 A0030000 00000001");
	wf_test_script_reply(f->script, "0001");
	wf_test_script_expect(f->script, "0001");
	wf_test_script_reply(f->script, "0001 1D04");
	g_assert_false(wf_brom_write16(f->brom, 0xA0030000, &v16, 1, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "value 0"));
	wf_test_script_assert_finished(f->script);
}

static void
test_write32_pipelined(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 values[] = {0x11223344, 0x55667788, 0x99AABBCC};

	wf_test_script_brom_write32(f->script, 0xA0140800, values, 3);
	g_assert_true(wf_brom_write32(f->brom, 0xA0140800, values, 3, NULL, &error));
	g_assert_no_error(error);
	/* the header, then all the values in one go */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 2);
	wf_test_script_assert_finished(f->script);
}

static void
test_write_wrong_value_echo(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 values[] = {0x11223344, 0x55667788};

	wf_test_script_echo(f->script, "D4 A0140800 00000002");
	wf_test_script_reply(f->script, "0001");
	wf_test_script_expect(f->script, "11223344 55667788");
	wf_test_script_reply(f->script, "11223345 0001 55667788 0001");
	g_assert_false(wf_brom_write32(f->brom, 0xA0140800, values, 2, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "11 22 33 45"));
	g_assert_nonnull(strstr(error->message, "11 22 33 44"));
	g_assert_cmpuint(wf_test_script_get_unread(f->script), ==, 0);
	assert_next_command_works(f);
	wf_test_script_assert_finished(f->script);
}

/* ------------------------------------------------------------------------ */
/* one-byte queries */

static void
test_queries(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 version = 0;
	guint8 bl = 0;
	guint32 config = 0xFFFFFFFF;
	guint8 me_id[16] = {0};
	const guint8 want_me_id[16] = {0xf8,
				       0x1d,
				       0xa2,
				       0x15,
				       0x30,
				       0x82,
				       0xcc,
				       0x5e,
				       0x21,
				       0xac,
				       0x52,
				       0x36,
				       0x87,
				       0x68,
				       0x44,
				       0xc2};

	/* FF is the one command that is not echoed */
	wf_test_script_expect(f->script, "FF");
	wf_test_script_reply(f->script, "05");
	g_assert_true(wf_brom_get_version(f->brom, &version, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(version, ==, 5);

	wf_test_script_echo(f->script, "FE");
	g_assert_true(wf_brom_get_bl_version(f->brom, &bl, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(bl, ==, 0xFE);

	wf_test_script_echo(f->script, "D8");
	wf_test_script_reply(f->script, "00000004 0000");
	g_assert_true(wf_brom_get_target_config(f->brom, &config, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(config, ==, 4);

	wf_test_script_echo(f->script, "E1");
	wf_test_script_reply(f->script, "00000010 f81da2153082cc5e21ac5236876844c2 0000");
	g_assert_true(wf_brom_get_me_id(f->brom, me_id, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(me_id, 16, want_me_id, 16);
	wf_test_script_assert_finished(f->script);
}

static void
test_me_id_bad_length(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 me_id[16];

	wf_test_script_echo(f->script, "E1");
	wf_test_script_reply(f->script, "00000020 00112233");
	g_assert_false(wf_brom_get_me_id(f->brom, me_id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "32 bytes"));
	g_assert_cmpuint(wf_test_script_get_unread(f->script), ==, 0);
	wf_test_script_assert_finished(f->script);
}

static void
test_unsupported_command_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint32 config = 0;

	/* echo and nothing else, like an unknown command */
	wf_test_script_echo(f->script, "D8");
	g_assert_false(wf_brom_get_target_config(f->brom, &config, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "D8 GET_TARGET_CONFIG"));
	g_assert_nonnull(strstr(error->message, "0 of 4 bytes"));
	wf_test_script_assert_finished(f->script);
}

/* ------------------------------------------------------------------------ */
/* Download Agent */

static guint8 *
make_da(gsize len)
{
	guint8 *da = g_malloc(len);
	for (gsize i = 0; i < len; i++)
		da[i] = (guint8)((i * 131) ^ (i >> 3));
	return da;
}

static void
script_send_da_header(Fixture *f, guint32 addr, gsize len, guint32 sig_len, const gchar *status)
{
	g_autofree gchar *hdr = g_strdup_printf("D7 %08X %08X %08X", addr, (guint)len, sig_len);
	wf_test_script_echo(f->script, hdr);
	wf_test_script_reply(f->script, status);
}

static void
test_send_da(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gsize len = 0x1B4A8;
	g_autofree guint8 *da = make_da(len);
	guint16 sum = wf_brom_xor16(da, len);
	g_autofree gchar *tail = g_strdup_printf("%04X 0000", sum);

	script_send_da_header(f, 0x10020000, len, 0x100, "0000");
	wf_test_script_expect_bytes(f->script, da, len);
	wf_test_script_reply(f->script, tail);
	g_assert_true(wf_brom_send_da(f->brom, 0x10020000, da, len, 0x100, NULL, &error));
	g_assert_no_error(error);
	/* large writes, not one per byte or per packet */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), <=, 1 + len / 4096);
	g_assert_false(wf_brom_is_halted(f->brom));
	wf_test_script_assert_finished(f->script);
}

static void
test_send_da_checksum_mismatch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gsize len = 0x434;
	g_autofree guint8 *da = make_da(len);
	guint16 sum = wf_brom_xor16(da, len);
	guint16 bad = sum ^ 0x0100;
	g_autofree gchar *tail = g_strdup_printf("%04X 0000", bad);
	g_autofree gchar *s_sum = g_strdup_printf("0x%04X", sum);
	g_autofree gchar *s_bad = g_strdup_printf("0x%04X", bad);

	script_send_da_header(f, 0x70007000, len, 0x100, "0000");
	wf_test_script_expect_bytes(f->script, da, len);
	wf_test_script_reply(f->script, tail);
	g_assert_false(wf_brom_send_da(f->brom, 0x70007000, da, len, 0x100, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
	g_assert_nonnull(strstr(error->message, s_sum));
	g_assert_nonnull(strstr(error->message, s_bad));
	wf_test_script_assert_finished(f->script);
}

static void
test_send_da_fatal_status(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *da = make_da(0x200);
	guint8 version = 0;
	guint n_writes;

	script_send_da_header(f, 0xFFF00000, 0x200, 0x100, "1D12");
	g_assert_false(wf_brom_send_da(f->brom, 0xFFF00000, da, 0x200, 0x100, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x1D12"));
	g_assert_nonnull(strstr(error->message, "unplug the watch"));
	g_assert_true(wf_brom_is_halted(f->brom));
	g_clear_error(&error);

	/* the boot ROM is gone: do not even try */
	n_writes = wf_test_script_get_n_writes(f->script);
	g_assert_false(wf_brom_get_version(f->brom, &version, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "unplug the watch"));
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, n_writes);
	wf_test_script_assert_finished(f->script);
}

static void
test_send_da_refused_locally(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *da = make_da(0x100);

	/* length <= sig_len would end the session (1D14): refuse first */
	g_assert_false(wf_brom_send_da(f->brom, 0x70007000, da, 0x100, 0x100, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(wf_brom_send_da(f->brom, 0x70007001, da, 0x100, 0, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 0);
	g_assert_false(wf_brom_is_halted(f->brom));
}

static void
test_jump_da(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_echo(f->script, "D5 70007000");
	wf_test_script_reply(f->script, "0000");
	g_assert_true(wf_brom_jump_da(f->brom, 0x70007000, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(wf_brom_is_halted(f->brom));
	wf_test_script_assert_finished(f->script);
}

static void
test_jump_da_fatal(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_echo(f->script, "D5 70007000");
	wf_test_script_reply(f->script, "1D16");
	g_assert_false(wf_brom_jump_da(f->brom, 0x70007000, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "D5 JUMP_DA"));
	g_assert_nonnull(strstr(error->message, "no Download Agent"));
	g_assert_nonnull(strstr(error->message, "plug it in again"));
	g_assert_true(wf_brom_is_halted(f->brom));
	wf_test_script_assert_finished(f->script);
}

static void
test_handshake_clears_halt(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_echo(f->script, "D5 70007000");
	wf_test_script_reply(f->script, "1D0F");
	g_assert_false(wf_brom_jump_da(f->brom, 0x70007000, NULL, &error));
	g_assert_true(wf_brom_is_halted(f->brom));
	g_clear_error(&error);
	/* re-plugged: a fresh handshake means a fresh boot ROM */
	wf_test_script_expect(f->script, "A0");
	wf_test_script_reply(f->script, "5F");
	wf_test_script_expect(f->script, "0A");
	wf_test_script_reply(f->script, "F5");
	wf_test_script_expect(f->script, "50");
	wf_test_script_reply(f->script, "AF");
	wf_test_script_expect(f->script, "05");
	wf_test_script_reply(f->script, "FA");
	g_assert_true(wf_brom_handshake(f->brom, 1000, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(wf_brom_is_halted(f->brom));
	assert_next_command_works(f);
	wf_test_script_assert_finished(f->script);
}

/* ------------------------------------------------------------------------ */
/* session steps */

static void
test_disable_watchdog(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_brom_write16(f->script, 0xA0030000, 0x2200);
	g_assert_true(wf_brom_disable_watchdog(f->brom, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_extend_charger_wdt(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_brom_write16(f->script, 0xA0700A24, 0x0015);
	g_assert_true(wf_brom_extend_charger_wdt(f->brom, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_remap_flash(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 want_a = 0x00000102;
	const guint32 want_b = 0x00000002;

	/* other bits are kept, the remap field becomes 2 */
	wf_test_script_brom_read32(f->script, 0xA0510000, 0x00000100);
	wf_test_script_brom_write32(f->script, 0xA0510000, &want_a, 1);
	g_assert_true(wf_brom_remap_flash(f->brom, NULL, &error));
	g_assert_no_error(error);
	/* 3 (flash at 0x10000000) must not stay 3 */
	wf_test_script_brom_read32(f->script, 0xA0510000, 0x00000003);
	wf_test_script_brom_write32(f->script, 0xA0510000, &want_b, 1);
	g_assert_true(wf_brom_remap_flash(f->brom, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_reset_port_vanishes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_echo(f->script, "D2 A003001C 00000001");
	wf_test_script_reply(f->script, "0001");
	wf_test_script_expect(f->script, "1209");
	wf_test_script_disconnect(f->script);
	g_assert_true(wf_brom_reset(f->brom, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_reset_answered(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_brom_write16(f->script, 0xA003001C, 0x1209);
	g_assert_true(wf_brom_reset(f->brom, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_reset_refused(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_test_script_echo(f->script, "D2 A003001C 00000001");
	wf_test_script_reply(f->script, "1D02");
	g_assert_false(wf_brom_reset(f->brom, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	wf_test_script_assert_finished(f->script);
}

/* ------------------------------------------------------------------------ */
/* helpers */

static void
test_xor16(void)
{
	const guint8 even[] = {0x01, 0x02, 0x03, 0x04};
	const guint8 odd[] = {0x01, 0x02, 0x03};
	const guint8 same[] = {0xAB, 0xCD, 0xAB, 0xCD};

	g_assert_cmphex(wf_brom_xor16(even, 4), ==, 0x0201 ^ 0x0403);
	g_assert_cmphex(wf_brom_xor16(odd, 3), ==, 0x0201 ^ 0x0003);
	g_assert_cmphex(wf_brom_xor16(same, 4), ==, 0x0000);
	g_assert_cmphex(wf_brom_xor16(NULL, 0), ==, 0x0000);
}

static void
test_status_strings(void)
{
	const guint16 codes[] = {0x1D00, 0x1D01, 0x1D02, 0x1D03, 0x1D04, 0x1D05, 0x1D06,
				 0x1D07, 0x1D08, 0x1D09, 0x1D0A, 0x1D0D, 0x1D0E, 0x1D0F,
				 0x1D10, 0x1D11, 0x1D12, 0x1D13, 0x1D14, 0x1D15, 0x1D16,
				 0x1D18, 0x1D19, 0x7017, 0x7028, 0x703A};
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	/* every documented code has its own wording */
	for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
		const gchar *str = wf_brom_status_to_string(codes[i]);
		g_assert_cmpstr(str, !=, "unknown error");
		g_assert_false(g_hash_table_contains(seen, str));
		g_hash_table_add(seen, (gpointer)str);
	}
	g_assert_cmpstr(wf_brom_status_to_string(0x1D08),
			==,
			"the boot ROM refuses to read this address range (protected)");
	g_assert_nonnull(strstr(wf_brom_status_to_string(0x701A), "security"));
	g_assert_cmpstr(wf_brom_status_to_string(0x1234), ==, "unknown error");
	g_assert_cmpstr(wf_brom_status_to_string(0x0000), ==, "success");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/brom/handshake/clean", test_handshake_clean);
	ADD("/brom/handshake/resync", test_handshake_resync);
	ADD("/brom/handshake/already-done", test_handshake_already_done);
	ADD("/brom/handshake/late-start", test_handshake_late_start);
	ADD("/brom/handshake/timeout", test_handshake_timeout);
	ADD("/brom/handshake/zero-timeout", test_handshake_zero_timeout);
	ADD("/brom/handshake/garbage", test_handshake_garbage);
	ADD("/brom/handshake/disconnect", test_handshake_disconnect);
	ADD("/brom/handshake/cancelled", test_handshake_cancelled);
	ADD("/brom/handshake/clears-halt", test_handshake_clears_halt);
	ADD("/brom/read16-legacy", test_read16_legacy);
	ADD("/brom/read16-legacy/silence", test_read16_legacy_silence);
	ADD("/brom/read16", test_read16);
	ADD("/brom/read32", test_read32);
	ADD("/brom/read32/status-errors", test_read32_status_errors);
	ADD("/brom/read32/short-reply", test_read32_short_reply);
	ADD("/brom/read32/slow-but-steady", test_read32_slow_but_steady);
	ADD("/brom/read32/fragmented", test_read_fragmented);
	ADD("/brom/read32/cancelled", test_read_cancelled);
	ADD("/brom/read32/disconnect", test_disconnect_mid_command);
	ADD("/brom/echo/wrong-resync", test_wrong_echo_resync);
	ADD("/brom/read-memory/depth1", test_read_memory_depth1);
	ADD("/brom/read-memory/depth2", test_read_memory_depth2);
	ADD("/brom/read-memory/defaults", test_read_memory_defaults);
	ADD("/brom/read-memory/error-in-flight", test_read_memory_error_in_flight);
	ADD("/brom/read-memory/timeout", test_read_memory_timeout);
	ADD("/brom/write16", test_write16);
	ADD("/brom/write16/masked", test_write16_masked);
	ADD("/brom/write/status-errors", test_write_status_errors);
	ADD("/brom/write32/pipelined", test_write32_pipelined);
	ADD("/brom/write32/wrong-echo", test_write_wrong_value_echo);
	ADD("/brom/queries", test_queries);
	ADD("/brom/queries/me-id-bad-length", test_me_id_bad_length);
	ADD("/brom/queries/unsupported", test_unsupported_command_timeout);
	ADD("/brom/send-da", test_send_da);
	ADD("/brom/send-da/checksum-mismatch", test_send_da_checksum_mismatch);
	ADD("/brom/send-da/fatal-status", test_send_da_fatal_status);
	ADD("/brom/send-da/refused-locally", test_send_da_refused_locally);
	ADD("/brom/jump-da", test_jump_da);
	ADD("/brom/jump-da/fatal", test_jump_da_fatal);
	ADD("/brom/disable-watchdog", test_disable_watchdog);
	ADD("/brom/extend-charger-wdt", test_extend_charger_wdt);
	ADD("/brom/remap-flash", test_remap_flash);
	ADD("/brom/reset/port-vanishes", test_reset_port_vanishes);
	ADD("/brom/reset/answered", test_reset_answered);
	ADD("/brom/reset/refused", test_reset_refused);
#undef ADD
	g_test_add_func("/brom/xor16", test_xor16);
	g_test_add_func("/brom/status-strings", test_status_strings);
	return g_test_run();
}
