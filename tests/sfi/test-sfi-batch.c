/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-brom-batch.h"
#include "wf-error.h"
#include "wf-test-script.h"

/*
 * WfBromBatch against a scripted watch: one write for many commands, replies
 * checked in order, and every failure naming the command and its subject.
 */

typedef struct {
	WfTestScript *script;
	WfBrom *brom;
	WfBromBatch *batch;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->script = wf_test_script_new();
	f->brom = wf_brom_new(WF_TRANSPORT(f->script));
	wf_brom_set_timeout(f->brom, 40);
	f->batch = wf_brom_batch_new(f->brom);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_object_unref(f->batch);
	g_object_unref(f->brom);
	g_object_unref(f->script);
}

/* four commands of each kind the SFI code uses */
static void
queue_four(WfBromBatch *batch)
{
	const guint32 lens[] = {5, 6};

	wf_brom_batch_set_subject(batch, "page program", 0x00012300);
	g_assert_cmpuint(wf_brom_batch_write32(batch, 0xA0140010, lens, 2, "lengths"), ==, 0);
	g_assert_cmpuint(wf_brom_batch_read32(batch, 0xA0140008, 1, "ready"), ==, 1);
	g_assert_cmpuint(wf_brom_batch_write32_one(batch, 0xA0140000, 0x0C, "start"), ==, 2);
	g_assert_cmpuint(wf_brom_batch_read32(batch, 0xA0140800, 2, "reply"), ==, 3);
}

static void
script_four(Fixture *f)
{
	const guint32 lens[] = {5, 6};
	const guint32 start = 0x0C;

	wf_test_script_brom_write32(f->script, 0xA0140010, lens, 2);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x100);
	wf_test_script_brom_write32(f->script, 0xA0140000, &start, 1);
	wf_test_script_echo(f->script, "D1 A0140800 00000002");
	wf_test_script_reply(f->script, "0000 44332211 88776655 0000");
}

static void
test_pipelined(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 *words;
	guint32 count = 0;

	queue_four(f->batch);
	script_four(f);
	/* 1+8 +8, 9, 9+4, 9 bytes out; 11+12, 13+4, 11+6, 13+8 back */
	g_assert_cmpuint(wf_brom_batch_get_request_size(f->batch), ==, 48);
	g_assert_cmpuint(wf_brom_batch_get_reply_size(f->batch), ==, 78);
	g_assert_true(wf_brom_batch_run(f->batch, NULL, &error));
	g_assert_no_error(error);
	/* everything went out in one write, before any answer was read */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 1);
	g_assert_cmphex(wf_brom_batch_get_word(f->batch, 1, 0), ==, 0x100);
	words = wf_brom_batch_get_words(f->batch, 3, &count);
	g_assert_cmpuint(count, ==, 2);
	g_assert_cmphex(words[0], ==, 0x44332211);
	g_assert_cmphex(words[1], ==, 0x88776655);
	g_assert_cmpuint(wf_brom_batch_get_failed(f->batch), ==, WF_BROM_BATCH_NONE);
	wf_test_script_assert_finished(f->script);
}

static void
test_two_in_flight(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfBromBatch) second = wf_brom_batch_new(f->brom);

	queue_four(f->batch);
	queue_four(second);
	script_four(f);
	script_four(f);
	g_assert_true(wf_brom_batch_send(f->batch, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_batch_send(second, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_batch_receive(f->batch, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(wf_brom_batch_receive(second, NULL, &error));
	g_assert_no_error(error);
	/* the second batch went out while the first one's answers were waiting */
	g_assert_cmpuint(wf_test_script_get_max_unread_at_write(f->script), >, 0);
	g_assert_cmphex(wf_brom_batch_get_word(second, 3, 1), ==, 0x88776655);
	wf_test_script_assert_finished(f->script);

	/* a reset batch is empty and reusable */
	wf_brom_batch_reset(second);
	g_assert_cmpuint(wf_brom_batch_get_n_commands(second), ==, 0);
	g_assert_cmpuint(wf_brom_batch_get_reply_size(second), ==, 0);
}

static void
test_echo_mismatch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 lens[] = {5, 6};
	guint32 addr = 0;

	queue_four(f->batch);
	wf_test_script_brom_write32(f->script, 0xA0140010, lens, 2);
	/* the second command comes back with the wrong count */
	wf_test_script_expect(f->script, "D1 A0140008 00000001");
	wf_test_script_reply(f->script, "D1 A0140008 00000002 0000 00000100 0000");
	wf_test_script_expect_any(f->script);
	g_assert_false(wf_brom_batch_run(f->batch, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "page program at 0x00012300"));
	g_assert_nonnull(strstr(error->message, "ready"));
	g_assert_nonnull(strstr(error->message, "D1 READ32 of 1 word at 0xA0140008"));
	g_assert_nonnull(strstr(error->message, "echoed D1 A0 14 00 08 00 00 00 02"));
	g_assert_cmpuint(wf_brom_batch_get_failed(f->batch), ==, 1);
	g_assert_cmpstr(wf_brom_batch_get_label(f->batch, 1), ==, "ready");
	g_assert_cmpstr(wf_brom_batch_get_subject(f->batch, 1, &addr), ==, "page program");
	g_assert_cmphex(addr, ==, 0x00012300);
	/* what the watch still sent was drained */
	g_assert_cmpuint(wf_test_script_get_unread(f->script), ==, 0);
}

static void
test_value_echo_mismatch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 values[] = {0x11111111, 0x22222222, 0x33333333};

	wf_brom_batch_set_subject(f->batch, "block erase", 0x00120000);
	wf_brom_batch_write32(f->batch, 0xA0140800, values, 3, "GPRAM");
	wf_test_script_echo(f->script, "D4 A0140800 00000003");
	wf_test_script_reply(f->script, "0001");
	wf_test_script_echo(f->script, "11111111");
	wf_test_script_reply(f->script, "0001");
	wf_test_script_expect(f->script, "22222222");
	wf_test_script_reply(f->script, "22222223 0001");
	wf_test_script_expect_any(f->script);
	g_assert_false(wf_brom_batch_run(f->batch, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "block erase at 0x00120000: GPRAM"));
	g_assert_nonnull(strstr(error->message, "for value 1"));
}

static void
test_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 lens[] = {5, 6};

	queue_four(f->batch);
	wf_test_script_brom_write32(f->script, 0xA0140010, lens, 2);
	/* then the watch says nothing more */
	wf_test_script_expect_any(f->script);
	g_assert_false(wf_brom_batch_run(f->batch, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "page program at 0x00012300: ready"));
	g_assert_nonnull(strstr(error->message, "no answer from the watch for 40 ms"));
	g_assert_cmpuint(wf_brom_batch_get_failed(f->batch), ==, 1);
}

static void
test_error_status(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	wf_brom_batch_set_subject(f->batch, "read (03)", 0);
	wf_brom_batch_read32(f->batch, 0xA0110000, 1, "SEJ");
	wf_test_script_echo(f->script, "D1 A0110000 00000001");
	wf_test_script_reply(f->script, "1D08");
	g_assert_false(wf_brom_batch_run(f->batch, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "0x1D08"));
	g_assert_nonnull(strstr(error->message, "protected"));
	wf_test_script_assert_finished(f->script);
}

static void
test_lost(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 lens[] = {5, 6};

	queue_four(f->batch);
	wf_test_script_brom_write32(f->script, 0xA0140010, lens, 2);
	/* the rest arrives, then the port goes before any of it is answered */
	wf_test_script_expect(f->script,
			      "D1 A0140008 00000001 D4 A0140000 00000001 0000000C "
			      "D1 A0140800 00000002");
	wf_test_script_disconnect(f->script);
	g_assert_false(wf_brom_batch_run(f->batch, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_LOST);
	g_assert_nonnull(strstr(error->message, "page program at 0x00012300"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sfi/batch/pipelined", test_pipelined);
	ADD("/sfi/batch/two-in-flight", test_two_in_flight);
	ADD("/sfi/batch/echo-mismatch", test_echo_mismatch);
	ADD("/sfi/batch/value-echo-mismatch", test_value_echo_mismatch);
	ADD("/sfi/batch/timeout", test_timeout);
	ADD("/sfi/batch/error-status", test_error_status);
	ADD("/sfi/batch/lost", test_lost);
#undef ADD
	return g_test_run();
}
