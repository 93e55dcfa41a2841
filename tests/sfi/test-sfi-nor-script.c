/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-sfi-nor.h"
#include "wf-sfi.h"
#include "wf-test-script.h"

/*
 * The flash-controller waits a real watch (or the virtual one) cannot be
 * made to miss: a controller that never gets ready, never finishes, never
 * enters macro mode, a flash that never sets WEL, and one that is still busy
 * when the next write enable arrives. The script plays the controller's
 * registers, one pipelined batch per attempt.
 */

#define CTRL_IDLE   0x00000000
#define CTRL_BUSY   0x0000000F /* macro + start + active + busy */
#define CTRL_DONE   0x0000000E /* macro + start + active */
#define CTRL_NO_ACT 0x0000000C /* macro + start, never active */

typedef struct {
	WfTestScript *script;
	WfBrom *brom;
	WfSfiNor *nor;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->script = wf_test_script_new();
	f->brom = wf_brom_new(WF_TRANSPORT(f->script));
	wf_brom_set_timeout(f->brom, 40);
	f->nor = wf_sfi_nor_new(f->brom);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_object_unref(f->nor);
	g_object_unref(f->brom);
	g_object_unref(f->script);
}

/* the control register as found: QPI left on, which the NOR code drops */
static void
script_ensure_ctrl(Fixture *f)
{
	wf_test_script_brom_read32(f->script, WF_SFI_REG_CONTROL, 0x00000010);
}

/*
 * One transaction as a batch carries it. @head goes to GPRAM (none when
 * @head_len is 0); @ctrl are the @n_ctrl control reads after the start;
 * @reply is GPRAM word 0 when @rxlen > 0 (sent byte, then the reply).
 */
static void
script_txn(Fixture *f,
	   const guint8 *head,
	   gsize head_len,
	   guint32 txlen,
	   guint32 rxlen,
	   guint32 status,
	   guint32 ctrl_last,
	   guint n_ctrl,
	   guint32 reply)
{
	const guint32 lens[2] = {txlen, rxlen};

	if (head_len > 0) {
		guint32 words[4] = {0};
		for (gsize i = 0; i < head_len; i++)
			words[i / 4] |= (guint32)head[i] << (8 * (i % 4));
		wf_test_script_brom_write32(
			f->script, WF_SFI_REG_GPRAM, words, (guint)(head_len + 3) / 4);
	}
	wf_test_script_brom_write32(f->script, WF_SFI_REG_SEND_LEN, lens, 2);
	wf_test_script_brom_read32(f->script, WF_SFI_REG_STATUS, status);
	wf_test_script_brom_write32_one(f->script, WF_SFI_REG_CONTROL, 0x0000000C);
	/* the first read after the start shows busy, the last one @ctrl_last */
	for (guint i = 0; i + 1 < n_ctrl; i++)
		wf_test_script_brom_read32(f->script, WF_SFI_REG_CONTROL, CTRL_BUSY);
	wf_test_script_brom_read32(f->script, WF_SFI_REG_CONTROL, ctrl_last);
	wf_test_script_brom_write32_one(f->script, WF_SFI_REG_CONTROL, CTRL_IDLE);
	if (rxlen > 0)
		wf_test_script_brom_read32(f->script, WF_SFI_REG_GPRAM, reply);
}

/* RDSR answering @sr */
static void
script_rdsr(Fixture *f, guint n_ctrl, guint8 sr)
{
	const guint8 cmd = 0x05;
	script_txn(f, &cmd, 1, 1, 1, 0x100, CTRL_DONE, n_ctrl, 0x05 | ((guint32)sr << 8));
}

static void
test_jedec_one_batch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 cmd = 0x9F;
	guint8 id[3] = {0};

	script_ensure_ctrl(f);
	script_txn(f, &cmd, 1, 1, 3, 0x100, CTRL_DONE, 2, 0x1760C89F);
	g_assert_true(wf_sfi_nor_read_jedec_id(f->nor, id, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(id[0], ==, 0xC8);
	g_assert_cmpuint(id[1], ==, 0x60);
	g_assert_cmpuint(id[2], ==, 0x17);
	/* one read of the control register, then the whole transaction at once */
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 2);
	g_assert_cmpuint(wf_sfi_nor_get_stats(f->nor)->batches, ==, 1);
	wf_test_script_assert_finished(f->script);
}

/* four attempts, each with one more control read than the last */
static void
test_not_ready(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 cmd = 0x05;
	guint8 sr = 0;

	script_ensure_ctrl(f);
	for (guint n = 2; n < 6; n++)
		script_txn(f, &cmd, 1, 1, 1, 0x000, CTRL_DONE, n, 0x0005);
	g_assert_false(wf_sfi_nor_read_status(f->nor, &sr, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "status read"));
	g_assert_nonnull(strstr(error->message, "not ready"));
	g_assert_nonnull(strstr(error->message, "0xA0140008"));
	wf_test_script_assert_finished(f->script);
}

static void
test_stays_busy(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 cmd = 0x05;
	guint8 sr = 0;

	script_ensure_ctrl(f);
	for (guint n = 2; n < 6; n++)
		script_txn(f, &cmd, 1, 1, 1, 0x100, CTRL_BUSY, n, 0x0005);
	g_assert_false(wf_sfi_nor_read_status(f->nor, &sr, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "still busy after 5 reads of 0xA0140000"));
	wf_test_script_assert_finished(f->script);
}

static void
test_never_active(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 cmd = 0x9F;
	guint8 id[3];

	script_ensure_ctrl(f);
	for (guint n = 2; n < 6; n++)
		script_txn(f, &cmd, 1, 1, 3, 0x100, CTRL_NO_ACT, n, 0);
	g_assert_false(wf_sfi_nor_read_jedec_id(f->nor, id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "never showed macro mode active"));
	wf_test_script_assert_finished(f->script);
}

/* recovers when the controller needs a third look */
static void
test_slow_then_fine(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 cmd = 0x05;
	guint8 sr = 0;

	script_ensure_ctrl(f);
	script_txn(f, &cmd, 1, 1, 1, 0x100, CTRL_BUSY, 2, 0x0005);
	script_txn(f, &cmd, 1, 1, 1, 0x100, CTRL_DONE, 3, 0x1C05);
	/* and keeps the third look from then on */
	script_txn(f, &cmd, 1, 1, 1, 0x100, CTRL_DONE, 3, 0x0005);
	g_assert_true(wf_sfi_nor_read_status(f->nor, &sr, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(sr, ==, 0x1C);
	g_assert_true(wf_sfi_nor_read_status(f->nor, &sr, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(sr, ==, 0x00);
	wf_test_script_assert_finished(f->script);
}

static void
test_wel_never_set(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 wren = 0x06;

	script_ensure_ctrl(f);
	for (guint i = 0; i < 4; i++) {
		script_txn(f, &wren, 1, 1, 0, 0x100, CTRL_DONE, 2, 0);
		script_rdsr(f, 2, 0x00);
	}
	g_assert_false(wf_sfi_nor_write_enable(f->nor, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "write-enable latch stayed clear"));
	wf_test_script_assert_finished(f->script);
}

/* a sector erase whose WREN hits a flash that is still busy is sent again */
static void
test_busy_collision(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 wren = 0x06;
	const guint8 se[4] = {0x20, 0x12, 0x30, 0x00};

	script_ensure_ctrl(f);
	/* idle before, then WIP|WEL right after the WREN: it was ignored */
	script_rdsr(f, 2, 0x00);
	script_txn(f, &wren, 1, 1, 0, 0x100, CTRL_DONE, 2, 0);
	script_rdsr(f, 2, 0x03);
	script_txn(f, se, 4, 4, 0, 0x100, CTRL_DONE, 2, 0);
	/* idle again, and now it takes */
	script_rdsr(f, 2, 0x00);
	script_txn(f, &wren, 1, 1, 0, 0x100, CTRL_DONE, 2, 0);
	script_rdsr(f, 2, 0x02);
	script_txn(f, se, 4, 4, 0, 0x100, CTRL_DONE, 2, 0);
	/* erasing, then done */
	script_rdsr(f, 2, 0x03);
	script_rdsr(f, 2, 0x00);
	g_assert_true(wf_sfi_nor_erase_sector(f->nor, 0x123000, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_sfi_nor_get_stats(f->nor)->sector_erases, ==, 1);
	wf_test_script_assert_finished(f->script);
}

/* the boot ROM stops answering in the middle of a batch */
static void
test_reply_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint32 word = 0x9F;
	guint8 id[3];

	script_ensure_ctrl(f);
	wf_test_script_brom_write32(f->script, WF_SFI_REG_GPRAM, &word, 1);
	wf_test_script_expect_any(f->script);
	g_assert_false(wf_sfi_nor_read_jedec_id(f->nor, id, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "JEDEC id at 0x00000000: RDID"));
	g_assert_nonnull(strstr(error->message, "at 0xA0140010"));
	g_assert_nonnull(strstr(error->message, "no answer from the watch"));
}

static void
test_page_span(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	guint8 buf[16] = {0};

	/* crossing a page boundary would wrap inside the page: refused unsent */
	g_assert_false(wf_sfi_nor_program_page(f->nor, 0x1F8, buf, sizeof(buf), NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "0x000001F8"));
	g_assert_cmpuint(wf_test_script_get_n_writes(f->script), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sfi/nor-script/jedec-one-batch", test_jedec_one_batch);
	ADD("/sfi/nor-script/not-ready", test_not_ready);
	ADD("/sfi/nor-script/stays-busy", test_stays_busy);
	ADD("/sfi/nor-script/never-active", test_never_active);
	ADD("/sfi/nor-script/slow-then-fine", test_slow_then_fine);
	ADD("/sfi/nor-script/wel-never-set", test_wel_never_set);
	ADD("/sfi/nor-script/busy-collision", test_busy_collision);
	ADD("/sfi/nor-script/reply-timeout", test_reply_timeout);
	ADD("/sfi/nor-script/page-span", test_page_span);
#undef ADD
	return g_test_run();
}
