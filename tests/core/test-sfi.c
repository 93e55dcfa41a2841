/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sfi.h"
#include "wf-test-script.h"

typedef struct {
	WfTestScript *script;
	WfBrom *brom;
	WfSfi *sfi;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->script = wf_test_script_new();
	f->brom = wf_brom_new(WF_TRANSPORT(f->script));
	wf_brom_set_timeout(f->brom, 40);
	f->sfi = wf_sfi_new(f->brom);
	wf_sfi_set_max_polls(f->sfi, 3);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_object_unref(f->sfi);
	g_object_unref(f->brom);
	g_object_unref(f->script);
}

/* the register traffic up to and including "ready", for @tx_words */
static void
script_setup(Fixture *f, const guint32 *tx_words, guint n_words, guint32 txlen, guint32 rxlen)
{
	const guint32 lens[] = {txlen, rxlen};

	wf_test_script_brom_write32(f->script, 0xA0140800, tx_words, n_words);
	wf_test_script_brom_write32(f->script, 0xA0140010, lens, 2);
}

/* control register: a start with QPI set before, macro-active late, busy
 * for one read */
static void
script_run(Fixture *f)
{
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x00000010);
	/* | 0x0C, & ~0x10 */
	wf_test_script_brom_write32_one(f->script, 0xA0140000, 0x0000000C);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000D);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000F);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000F);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000E);
	/* &= ~0x1C on the value just read */
	wf_test_script_brom_write32_one(f->script, 0xA0140000, 0x00000002);
}

static void
test_jedec_id(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 tx = 0x0000009F;
	guint8 id[3] = {0};

	script_setup(f, &tx, 1, 1, 3);
	/* not ready on the first look */
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000000);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000100);
	script_run(f);
	/* GPRAM: 9F then the three id bytes, little-endian in one word */
	wf_test_script_brom_read32(f->script, 0xA0140800, 0x1760C89F);
	g_assert_true(wf_sfi_read_jedec_id(f->sfi, id, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(id[0], ==, 0xC8);
	g_assert_cmpuint(id[1], ==, 0x60);
	g_assert_cmpuint(id[2], ==, 0x17);
	wf_test_script_assert_finished(f->script);
}

static void
test_read_status(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 tx = 0x00000005;
	guint8 status = 0xFF;

	script_setup(f, &tx, 1, 1, 1);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000100);
	script_run(f);
	wf_test_script_brom_read32(f->script, 0xA0140800, 0xAABB0205);
	g_assert_true(wf_sfi_read_status(f->sfi, &status, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(status, ==, 0x02);
	wf_test_script_assert_finished(f->script);
}

static void
test_unaligned_reply(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 tx[] = {0x03, 0x00, 0x10, 0x00, 0xAA};
	const guint32 words[] = {0x00100003, 0x000000AA};
	guint8 rx[6] = {0};
	const guint8 want[6] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66};

	script_setup(f, words, 2, 5, 6);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000100);
	script_run(f);
	/* the reply starts at GPRAM byte 5: word 1, byte 1, across two words */
	wf_test_script_echo(f->script, "D1 A0140804 00000002");
	wf_test_script_reply(f->script, "0000 332211AA 77665544 0000");
	g_assert_true(wf_sfi_transact(f->sfi, tx, sizeof(tx), rx, sizeof(rx), NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(rx, sizeof(rx), want, sizeof(want));
	wf_test_script_assert_finished(f->script);
}

static void
test_no_reply(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 tx[] = {0x06};
	const guint32 word = 0x00000006;

	/* WREN: nothing to read back, so GPRAM is not read */
	script_setup(f, &word, 1, 1, 0);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000100);
	script_run(f);
	g_assert_true(wf_sfi_transact(f->sfi, tx, sizeof(tx), NULL, 0, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(f->script);
}

static void
test_wait_ready_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 tx = 0x0000009F;
	guint8 id[3];

	script_setup(f, &tx, 1, 1, 3);
	for (guint i = 0; i < 3; i++)
		wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000000);
	g_assert_false(wf_sfi_read_jedec_id(f->sfi, id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "0xA0140008"));
	g_assert_nonnull(strstr(error->message, "bit 8"));
	g_assert_nonnull(strstr(error->message, "3 reads"));
	wf_test_script_assert_finished(f->script);
}

static void
test_wait_macro_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 tx = 0x0000009F;
	guint8 id[3];

	script_setup(f, &tx, 1, 1, 3);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000100);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x00000000);
	wf_test_script_brom_write32_one(f->script, 0xA0140000, 0x0000000C);
	for (guint i = 0; i < 3; i++)
		wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000C);
	g_assert_false(wf_sfi_read_jedec_id(f->sfi, id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "0xA0140000 bit 1 stayed 0"));
	wf_test_script_assert_finished(f->script);
}

static void
test_wait_busy_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 tx = 0x0000009F;
	guint8 id[3];

	script_setup(f, &tx, 1, 1, 3);
	wf_test_script_brom_read32(f->script, 0xA0140008, 0x00000100);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x00000000);
	wf_test_script_brom_write32_one(f->script, 0xA0140000, 0x0000000C);
	wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000F);
	for (guint i = 0; i < 3; i++)
		wf_test_script_brom_read32(f->script, 0xA0140000, 0x0000000F);
	g_assert_false(wf_sfi_read_jedec_id(f->sfi, id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "0xA0140000 bit 0 stayed 1"));
	wf_test_script_assert_finished(f->script);
}

static void
test_refused_register(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 id[3];

	wf_test_script_echo(f->script, "D4 A0140800 00000001");
	wf_test_script_reply(f->script, "1D02");
	g_assert_false(wf_sfi_read_jedec_id(f->sfi, id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_true(g_str_has_prefix(error->message, "SFI: "));
	wf_test_script_assert_finished(f->script);
}

static void
test_too_long(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 tx[WF_SFI_MAX_TRANSFER] = {0x03};
	guint8 rx[4];

	g_assert_false(wf_sfi_transact(f->sfi, tx, sizeof(tx), rx, 4, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sfi/jedec-id", test_jedec_id);
	ADD("/sfi/read-status", test_read_status);
	ADD("/sfi/unaligned-reply", test_unaligned_reply);
	ADD("/sfi/no-reply", test_no_reply);
	ADD("/sfi/timeout/ready", test_wait_ready_timeout);
	ADD("/sfi/timeout/macro-active", test_wait_macro_timeout);
	ADD("/sfi/timeout/busy", test_wait_busy_timeout);
	ADD("/sfi/refused-register", test_refused_register);
	ADD("/sfi/too-long", test_too_long);
#undef ADD
	return g_test_run();
}
