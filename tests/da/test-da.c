/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-brom.h"
#include "wf-da-status.h"
#include "wf-da.h"
#include "wf-error.h"
#include "wf-test-da.h"
#include "wf-test-script.h"

#define FLASH_SIZE 0x400000
/* short, so that the timeout tests do not take long */
#define TIMEOUT_MS 200

static const WfTestDaReport report_ok = {
	.flash_size = FLASH_SIZE,
	.flash_id = 0xD2,
	.device_code = {0x00C2, 0x0020, 0x0016, 0x0000},
	.boot_style = 0x407,
	.soc = 0xC1,
};

static void
reply_u16(WfTestScript *script, guint16 value)
{
	g_autofree gchar *hex = g_strdup_printf("%04X", value);
	wf_test_script_reply(script, hex);
}

static void
reply_u32(WfTestScript *script, guint32 value)
{
	g_autofree gchar *hex = g_strdup_printf("%08X", value);
	wf_test_script_reply(script, hex);
}

/* what the boot ROM answers to remap + two SEND_DA + JUMP_DA (protocol.md §3) */
static void
script_brom_upload(WfTestScript *script, GBytes *stage1, guint32 sig1, GBytes *stage2, guint32 sig2)
{
	GBytes *stages[2] = {stage1, stage2};
	guint32 addrs[2] = {WF_DA_STAGE1_ADDR, WF_DA_STAGE2_ADDR};
	guint32 sigs[2] = {sig1, sig2};

	wf_test_script_expect(script, "D1 A0510000 00000001");
	wf_test_script_reply(script, "D1 A0510000 00000001 0000 00000000 0000");
	wf_test_script_expect(script, "D4 A0510000 00000001");
	wf_test_script_reply(script, "D4 A0510000 00000001 0001");
	wf_test_script_expect(script, "00000002");
	wf_test_script_reply(script, "00000002 0001");
	for (guint i = 0; i < 2; i++) {
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(stages[i], &len);
		g_autofree gchar *hdr =
			g_strdup_printf("D7 %08X %08X %08X", addrs[i], (guint)len, sigs[i]);

		wf_test_script_echo(script, hdr);
		wf_test_script_reply(script, "0000");
		wf_test_script_expect_bytes(script, data, len);
		reply_u16(script, wf_test_da_xor16(data, len));
		wf_test_script_reply(script, "0000");
	}
	wf_test_script_echo(script, "D5 70007000");
	wf_test_script_reply(script, "0000");
}

/* The DA speaks right after the boot ROM's JUMP_DA status. Tests that start
 * at wf_da_connect() script that jump first and run it through a real
 * #WfBrom, so the DA's first bytes follow it as on the wire. */
static void
script_jump(WfTestScript *script)
{
	wf_test_script_echo(script, "D5 70007000");
	wf_test_script_reply(script, "0000");
}

static void
run_jump(WfTestScript *script)
{
	g_autoptr(WfBrom) brom = wf_brom_new(WF_TRANSPORT(script));
	g_autoptr(GError) error = NULL;

	g_assert_true(wf_brom_jump_da(brom, WF_DA_STAGE1_ADDR, NULL, &error));
	g_assert_no_error(error);
}

/* the DA side of §5.3: sync, parameters, records up to @match, marker, report */
static void
script_da_connect(WfTestScript *script,
		  guint8 battery,
		  guint32 count,
		  GBytes *table,
		  guint match,
		  gboolean wiz,
		  GBytes *report)
{
	const guint8 *records = g_bytes_get_data(table, NULL);
	g_autofree gchar *params =
		g_strdup_printf("%02X 05 FE 0008 00 7007FFFF 02 %08X", battery, count);

	wf_test_script_reply(script, "C0 03 02 8E");
	wf_test_script_expect(script, params);
	wf_test_script_reply(script, "5A");
	for (guint i = 0; i <= match; i++) {
		wf_test_script_expect_bytes(script, records + i * 36, 36);
		if (i < match)
			wf_test_script_reply(script, "69");
		else
			wf_test_script_reply(script, wiz ? "5A A5 69" : "5A A5");
	}
	wf_test_script_expect(script, "00000000");
	wf_test_script_reply(script, "00000CA2");
	wf_test_script_reply_bytes(
		script, g_bytes_get_data(report, NULL), g_bytes_get_size(report));
}

/* a started DA (SP Flash Tool profile) for the operation tests */
static WfDa *
connected_da(WfTestScript *script)
{
	g_autoptr(GBytes) table = wf_test_da_flash_table(2, FALSE);
	g_autoptr(GBytes) report = wf_test_da_report(&report_ok);
	g_autoptr(GError) error = NULL;
	WfDa *da = wf_da_new(WF_TRANSPORT(script));

	wf_da_set_timeout(da, TIMEOUT_MS);
	wf_da_set_profile(da, WF_DA_PROFILE_SPFT);
	script_jump(script);
	script_da_connect(script, 0x5A, 2, table, 0, FALSE, report);
	run_jump(script);
	g_assert_true(wf_da_connect(da, table, NULL, &error));
	g_assert_no_error(error);
	return da;
}

static void
test_start_spft(void)
{
	const WfTestDaEntry spec = {
		.hw_code = 0x6261,
		.hw_sub_code = 0x8000,
		.hw_version = 0xCB01,
		.stage1_len = 0x434,
		.stage2_len = 0x1B4A8,
		.stage1_sig_len = 0x100,
		.stage2_sig_len = 0x100,
		.n_records = 4,
	};
	WfTestDaReport rspec = report_ok;
	g_autoptr(GBytes) blob = wf_test_da_container(&spec, 1, FALSE);
	g_autoptr(WfDaFile) file = wf_da_file_new_from_bytes(blob, NULL, NULL);
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfBrom) brom = wf_brom_new(WF_TRANSPORT(script));
	g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
	g_autoptr(GBytes) stage1 = NULL;
	g_autoptr(GBytes) stage2 = NULL;
	g_autoptr(GBytes) table = NULL;
	g_autoptr(GBytes) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *jedec = NULL;
	const WfDaEntry *entry;
	const WfDaReport *r;

	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_da_profile_for_entry(entry), ==, WF_DA_PROFILE_SPFT);
	stage1 = wf_da_file_get_region_bytes(file, wf_da_entry_get_stage1(entry));
	stage2 = wf_da_file_get_region_bytes(file, wf_da_entry_get_stage2(entry));
	table = wf_da_file_get_region_bytes(file, wf_da_entry_get_flash_table(entry));
	rspec.flash_id = 0xD3;
	report = wf_test_da_report(&rspec);

	script_brom_upload(script, stage1, 0x100, stage2, 0x100);
	/* SP Flash Tool's build: battery byte 5A, 4 records, match on the
	 * second, no extra 69, 174-byte report */
	script_da_connect(script, 0x5A, 4, table, 1, FALSE, report);

	wf_da_set_timeout(da, TIMEOUT_MS);
	g_assert_true(wf_da_start(da, brom, file, entry, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_true(wf_da_is_usable(da, NULL));
	g_assert_cmpint(wf_da_get_profile(da), ==, WF_DA_PROFILE_SPFT);

	r = wf_da_get_report(da);
	g_assert_nonnull(r);
	g_assert_cmpuint(r->da_major, ==, 3);
	g_assert_cmpuint(r->da_minor, ==, 2);
	g_assert_cmphex(r->bbchip, ==, 0x8E);
	g_assert_cmpuint(r->report_size, ==, 174);
	g_assert_cmpuint(r->matched_record, ==, 1);
	g_assert_cmphex(r->matched_record_id, ==, 0xD3);
	g_assert_cmphex(r->flash_id, ==, 0xD3);
	g_assert_false(r->extra_cont);
	g_assert_false(r->has_extra);
	g_assert_cmphex(r->nor_ret, ==, 0);
	g_assert_cmphex(r->nor_chip_select, ==, 0x0008);
	g_assert_cmphex(r->flash_size, ==, FLASH_SIZE);
	g_assert_cmphex(r->otp_status, ==, 0xC02);
	g_assert_cmphex(r->otp_size, ==, 0x1C0);
	g_assert_cmphex(r->die2_id, ==, 0xFFFF);
	g_assert_cmphex(r->nand_ret, ==, WF_DA_STATUS_NFI_NOT_SUPPORT);
	g_assert_cmphex(r->emmc_ret, ==, WF_DA_STATUS_EMMC_FLASH_NOT_FOUND);
	g_assert_cmphex(r->int_sram_size, ==, 0xD000);
	g_assert_cmphex(r->ext_ram_size, ==, 0x400000);
	g_assert_cmphex(r->jedec_candidates[3], ==, 0xC2);
	g_assert_cmphex(r->download_status, ==, 0);
	g_assert_cmphex(r->boot_style, ==, 0x407);
	g_assert_cmphex(r->soc, ==, WF_DA_SOC_OK);
	jedec = wf_da_report_get_jedec_id(r);
	g_assert_cmpstr(jedec, ==, "C22016");
}

static void
test_start_wiz(void)
{
	const WfDaFlatLayout *layout = wf_da_flat_layout_get_wiz();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(WfDaFile) file = NULL;
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfBrom) brom = wf_brom_new(WF_TRANSPORT(script));
	g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
	g_autoptr(GBytes) stage1 = NULL;
	g_autoptr(GBytes) stage2 = NULL;
	g_autoptr(GBytes) table = NULL;
	g_autoptr(GBytes) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) json = NULL;
	WfTestDaReport rspec = report_ok;
	const WfDaEntry *entry;
	const WfDaReport *r;

	/* the flat build's layout with 4 records + terminator, as synthetic bytes */
	blob = wf_test_da_flat(layout->stage1_len, layout->stage2_len, 4, 100);
	file = wf_da_file_new_from_bytes(blob, layout, &error);
	g_assert_no_error(error);
	entry = wf_da_file_select(file, 0x6261, 0x8000, 0xCB01, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(wf_da_profile_for_entry(entry), ==, WF_DA_PROFILE_WIZ);
	stage1 = wf_da_file_get_region_bytes(file, wf_da_entry_get_stage1(entry));
	stage2 = wf_da_file_get_region_bytes(file, wf_da_entry_get_stage2(entry));
	table = wf_da_file_get_region_bytes(file, wf_da_entry_get_flash_table(entry));
	rspec.extra = TRUE;
	rspec.flash_id = 0xD4;
	report = wf_test_da_report(&rspec);

	script_brom_upload(script, stage1, 0x400, stage2, 0x800);
	/* the open tools' byte A5, 5 records counted (terminator included),
	 * the extra 69 after the match and the 198-byte report */
	script_da_connect(script, 0xA5, 5, table, 2, TRUE, report);

	wf_da_set_timeout(da, TIMEOUT_MS);
	g_assert_true(wf_da_start(da, brom, file, entry, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_cmpint(wf_da_get_profile(da), ==, WF_DA_PROFILE_WIZ);

	r = wf_da_get_report(da);
	g_assert_cmpuint(r->report_size, ==, 198);
	g_assert_true(r->extra_cont);
	g_assert_true(r->has_extra);
	g_assert_cmphex(r->extra[0], ==, 0xE0000000);
	g_assert_cmphex(r->extra[5], ==, 0xE0000005);
	g_assert_cmpuint(r->matched_record, ==, 2);
	g_assert_cmphex(r->flash_id, ==, 0xD4);
	g_assert_cmphex(r->flash_size, ==, FLASH_SIZE);
	g_assert_cmphex(r->boot_style, ==, 0x407);
	g_assert_cmphex(r->soc, ==, WF_DA_SOC_OK);

	json = wf_da_report_to_json(r);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(json), "jedec_id"),
			==,
			"C22016");
	g_assert_cmpint(json_array_get_length(
				json_object_get_array_member(json_node_get_object(json), "extra")),
			==,
			6);
}

/* a build of unknown size: the report's own tail tells the layout */
static void
test_connect_auto(void)
{
	for (guint extra = 0; extra < 2; extra++) {
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
		g_autoptr(GBytes) table = wf_test_da_flash_table(3, FALSE);
		WfTestDaReport rspec = report_ok;
		g_autoptr(GBytes) report = NULL;
		g_autoptr(GError) error = NULL;

		rspec.extra = extra;
		rspec.download_status = WF_DA_STATUS_BLANK_FLASH;
		rspec.boot_style = 0;
		report = wf_test_da_report(&rspec);
		/* the battery byte overridden, the 69 sent or not */
		wf_da_set_battery_flag(da, 0xA5);
		wf_da_set_timeout(da, TIMEOUT_MS);
		script_jump(script);
		script_da_connect(script, 0xA5, 3, table, 0, extra, report);
		run_jump(script);
		g_assert_true(wf_da_connect(da, table, NULL, &error));
		g_assert_no_error(error);
		wf_test_script_assert_finished(script);
		g_assert_cmpuint(wf_da_get_report(da)->report_size, ==, extra ? 198 : 174);
		g_assert_cmpint(wf_da_get_report(da)->extra_cont, ==, extra);
		/* a blank flash is reported, not an error: bricked watches are why
		 * the DA is started at all */
		g_assert_cmphex(wf_da_get_report(da)->download_status, ==, 3081);
		g_assert_true(wf_da_is_usable(da, NULL));
	}
}

static void
test_sync_timeout(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
	g_autoptr(GBytes) table = wf_test_da_flash_table(2, FALSE);
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	script_jump(script);
	run_jump(script);
	wf_da_set_timeout(da, 50);
	g_assert_false(wf_da_connect(da, table, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "the Download Agent never started"));
	/* bounded by the timeout, not stuck */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);
	g_assert_false(wf_da_is_usable(da, NULL));
	g_assert_null(wf_da_get_report(da));
	/* nothing was sent to a DA that never spoke */
	g_assert_cmpuint(wf_test_script_get_n_writes(script), ==, 1);
}

static void
test_unknown_flash(void)
{
	g_autoptr(GBytes) table = wf_test_da_flash_table(3, FALSE);
	const guint8 *records = g_bytes_get_data(table, NULL);

	/* every record answered "next": the host runs out */
	{
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
		g_autoptr(GError) error = NULL;

		wf_da_set_timeout(da, TIMEOUT_MS);
		wf_da_set_profile(da, WF_DA_PROFILE_SPFT);
		g_assert_true(wf_da_set_flash_jedec(da, "c86017", NULL));
		script_jump(script);
		wf_test_script_reply(script, "C0 03 02 8E");
		wf_test_script_expect(script, "5A 05 FE 0008 00 7007FFFF 02 00000003");
		wf_test_script_reply(script, "5A");
		for (guint i = 0; i < 3; i++) {
			wf_test_script_expect_bytes(script, records + i * 36, 36);
			wf_test_script_reply(script, "69");
		}
		run_jump(script);
		g_assert_false(wf_da_connect(da, table, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
		g_assert_nonnull(strstr(error->message, "this DA does not know flash C8 60 17"));
		wf_test_script_assert_finished(script);
		g_assert_false(wf_da_is_usable(da, NULL));
	}
	/* the DA gives up itself with an error code */
	{
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
		g_autoptr(GError) error = NULL;

		wf_da_set_timeout(da, TIMEOUT_MS);
		script_jump(script);
		wf_test_script_reply(script, "C0 03 02 8E");
		wf_test_script_expect(script, "5A 05 FE 0008 00 7007FFFF 02 00000003");
		wf_test_script_reply(script, "5A");
		wf_test_script_expect_bytes(script, records, 36);
		wf_test_script_reply(script, "A5 00000BC1");
		run_jump(script);
		g_assert_false(wf_da_connect(da, table, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_NOT_SUPPORTED);
		g_assert_nonnull(strstr(error->message, "this DA does not know the watch's flash"));
		g_assert_nonnull(strstr(error->message, "S_DA_NOR_UNSUPPORTED_DEV_ID"));
		wf_test_script_assert_finished(script);
	}
	/* a bad JEDEC string is refused */
	{
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
		g_autoptr(GError) error = NULL;
		g_assert_false(wf_da_set_flash_jedec(da, "C8601", &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	}
}

static void
test_report_errors(void)
{
	struct {
		guint32 nor_ret;
		guint8 soc;
		const gchar *name;
	} cases[] = {
		{WF_DA_STATUS_NOR_FLASH_NOT_FOUND, 0xC1, "S_DA_NOR_FLASH_NOT_FOUND"},
		{0, 0xCF, "S_DA_SOC_CHECK_FAIL"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
		g_autoptr(GBytes) table = wf_test_da_flash_table(1, FALSE);
		WfTestDaReport rspec = report_ok;
		g_autoptr(GBytes) report = NULL;
		g_autoptr(GError) error = NULL;

		rspec.nor_ret = cases[i].nor_ret;
		rspec.soc = cases[i].soc;
		report = wf_test_da_report(&rspec);
		wf_da_set_timeout(da, TIMEOUT_MS);
		wf_da_set_profile(da, WF_DA_PROFILE_SPFT);
		script_jump(script);
		script_da_connect(script, 0x5A, 1, table, 0, FALSE, report);
		run_jump(script);
		g_assert_false(wf_da_connect(da, table, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
		g_assert_nonnull(strstr(error->message, cases[i].name));
		/* the report is still there to show */
		g_assert_nonnull(wf_da_get_report(da));
		g_assert_false(wf_da_is_usable(da, NULL));
		wf_test_script_assert_finished(script);
	}

	/* the wrong profile: a 198-byte report read as 174 does not end right */
	{
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));
		g_autoptr(GBytes) table = wf_test_da_flash_table(1, FALSE);
		WfTestDaReport rspec = report_ok;
		g_autoptr(GBytes) report = NULL;
		g_autoptr(GError) error = NULL;

		rspec.extra = TRUE;
		report = wf_test_da_report(&rspec);
		wf_da_set_timeout(da, TIMEOUT_MS);
		wf_da_set_profile(da, WF_DA_PROFILE_SPFT);
		script_jump(script);
		script_da_connect(script, 0x5A, 1, table, 0, FALSE, report);
		run_jump(script);
		g_assert_false(wf_da_connect(da, table, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
		g_assert_nonnull(strstr(error->message, "profile"));
	}
}

/* acknowledged mode, packets of 0x1000: the second arrives damaged once and
 * is asked for again */
static void
test_readback_resend(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x2800, 99);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x2800);
	g_autofree guint8 *bad = NULL;
	const guint8 *data = g_bytes_get_data(flash, NULL);

	/* one 5A after each verified packet */
	wf_da_set_read_ack_ahead(da, FALSE);

	wf_test_script_expect(script, "D6 00 00001000 00002800");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000");
	/* packet 0 */
	wf_test_script_reply_bytes(script, data, 0x1000);
	reply_u16(script, wf_test_da_sum16(data, 0x1000));
	wf_test_script_expect(script, "5A");
	/* packet 1, one bit flipped on the way */
	bad = g_memdup2(data + 0x1000, 0x1000);
	bad[0x123] ^= 0x10;
	wf_test_script_reply_bytes(script, bad, 0x1000);
	reply_u16(script, wf_test_da_sum16(data + 0x1000, 0x1000));
	wf_test_script_expect(script, "A5");
	wf_test_script_reply_bytes(script, data + 0x1000, 0x1000);
	reply_u16(script, wf_test_da_sum16(data + 0x1000, 0x1000));
	wf_test_script_expect(script, "5A");
	/* packet 2, short */
	wf_test_script_reply_bytes(script, data + 0x2000, 0x800);
	reply_u16(script, wf_test_da_sum16(data + 0x2000, 0x800));
	wf_test_script_expect(script, "5A");

	g_assert_true(wf_da_read_flash(da, 0x1000, buf, 0x2800, progress, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_cmpmem(buf, 0x2800, data, 0x2800);
	g_assert_cmpuint(wf_da_get_resends(da), ==, 1);
	g_assert_cmpuint(wf_progress_get_bytes_done(progress), ==, 0x2800);
	g_assert_cmpuint(wf_progress_get_bytes_total(progress), ==, 0x2800);
	g_assert_true(wf_da_is_usable(da, NULL));
}

static void
test_readback_gives_up(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x400, 5);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x400);
	const guint8 *data = g_bytes_get_data(flash, NULL);

	/* one 5A after each verified packet */
	wf_da_set_read_ack_ahead(da, FALSE);

	wf_da_set_max_retries(da, 2);
	wf_da_set_packet_size(da, 0x400);
	wf_test_script_expect(script, "D6 00 00000000 00000400");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00000400");
	for (guint i = 0; i < 3; i++) {
		wf_test_script_reply_bytes(script, data, 0x400);
		reply_u16(script, wf_test_da_sum16(data, 0x400) + 1);
		if (i < 2)
			wf_test_script_expect(script, "A5");
	}
	g_assert_false(wf_da_read_flash(da, 0, buf, 0x400, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
	g_assert_nonnull(strstr(error->message, "3 times"));
	wf_test_script_assert_finished(script);
	g_assert_cmpuint(wf_da_get_resends(da), ==, 2);
	g_assert_false(wf_da_is_usable(da, NULL));
}

static void
cancel_after_first_packet(WfProgress *progress, GCancellable *cancellable)
{
	if (wf_progress_get_bytes_done(progress) > 0)
		g_cancellable_cancel(cancellable);
}

static void
test_readback_cancel(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x1000, 6);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x3000);
	const guint8 *data = g_bytes_get_data(flash, NULL);

	/* one 5A after each verified packet */
	wf_da_set_read_ack_ahead(da, FALSE);

	g_signal_connect(progress, "changed", G_CALLBACK(cancel_after_first_packet), cancellable);
	wf_test_script_expect(script, "D6 00 00000000 00003000");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000");
	wf_test_script_reply_bytes(script, data, 0x1000);
	reply_u16(script, wf_test_da_sum16(data, 0x1000));
	/* the packet in flight is finished and acknowledged, then nothing */
	wf_test_script_expect(script, "5A");
	g_assert_false(wf_da_read_flash(da, 0, buf, 0x3000, progress, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	wf_test_script_assert_finished(script);
	g_assert_cmpmem(buf, 0x1000, data, 0x1000);
	g_assert_false(wf_da_is_usable(da, NULL));
}

/* one readback packet as the DA sends it: data, then its sum16 (+ @sum_delta
 * to damage it) */
static void
reply_packet(WfTestScript *script, const guint8 *data, gsize len, guint16 sum_delta)
{
	wf_test_script_reply_bytes(script, data, len);
	reply_u16(script, wf_test_da_sum16(data, len) + sum_delta);
}

static void
test_readback_ack_ahead_default(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = wf_da_new(WF_TRANSPORT(script));

	g_assert_true(wf_da_get_read_ack_ahead(da));
	wf_da_set_read_ack_ahead(da, FALSE);
	g_assert_false(wf_da_get_read_ack_ahead(da));

	/* the environment overrides the default for every new WfDa */
	for (guint i = 0; i < 4; i++) {
		const gchar *values[] = {"0", "off", "1", ""};
		g_autoptr(WfDa) other = NULL;

		g_setenv(WF_DA_ACK_AHEAD_ENV, values[i], TRUE);
		other = wf_da_new(WF_TRANSPORT(script));
		g_assert_cmpint(wf_da_get_read_ack_ahead(other), ==, i >= 2);
	}
	g_unsetenv(WF_DA_ACK_AHEAD_ENV);
}

/* The wire order of ACK-ahead: each packet's 5A leaves before the packet is
 * read. The script makes a reply readable only once the host bytes before it
 * have arrived, so a client that waited for the data first would time out.
 * Exactly one 5A per packet, the short last one included: wf_test_script_assert_finished()
 * fails on any extra byte. */
static void
test_readback_ack_ahead_order(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x2800, 21);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x2800);
	const guint8 *data = g_bytes_get_data(flash, NULL);

	wf_test_script_expect(script, "D6 00 00004000 00002800");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000");
	for (guint i = 0; i < 3; i++) {
		gsize n = MIN(0x1000, 0x2800 - i * 0x1000);

		wf_test_script_expect(script, "5A");
		reply_packet(script, data + i * 0x1000, n, 0);
	}
	g_assert_true(wf_da_read_flash(da, 0x4000, buf, 0x2800, progress, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_cmpmem(buf, 0x2800, data, 0x2800);
	g_assert_cmpuint(wf_da_get_resends(da), ==, 0);
	g_assert_cmpuint(wf_progress_get_bytes_done(progress), ==, 0x2800);
	g_assert_true(wf_da_is_usable(da, NULL));
}

/* Five packets (the last short); 0, 2, 3 and 4 arrive damaged and have been
 * acknowledged. After the stream: one D6 for packet 0, one for packets 2–4
 * together, both in the acknowledged mode; the first packet of the second
 * comes damaged again and is asked for with A5. */
static void
test_readback_ack_ahead_reread(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x4800, 22);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x4800);
	g_autofree guint8 *bad = NULL;
	const guint8 *data = g_bytes_get_data(flash, NULL);

	wf_test_script_expect(script, "D6 00 00010000 00004800");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000");
	for (guint i = 0; i < 5; i++) {
		gsize n = MIN(0x1000, 0x4800 - i * 0x1000);

		wf_test_script_expect(script, "5A");
		reply_packet(script, data + i * 0x1000, n, i == 1 ? 0 : 1);
	}
	wf_test_script_expect(script, "D6 00 00010000 00001000");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000");
	reply_packet(script, data, 0x1000, 0);
	wf_test_script_expect(script, "5A");
	wf_test_script_expect(script, "D6 00 00012000 00002800");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000");
	/* damaged in the data this time, with the right sum */
	bad = g_memdup2(data + 0x2000, 0x1000);
	bad[0x77] ^= 0x01;
	wf_test_script_reply_bytes(script, bad, 0x1000);
	reply_u16(script, wf_test_da_sum16(data + 0x2000, 0x1000));
	wf_test_script_expect(script, "A5");
	reply_packet(script, data + 0x2000, 0x1000, 0);
	wf_test_script_expect(script, "5A");
	reply_packet(script, data + 0x3000, 0x1000, 0);
	wf_test_script_expect(script, "5A");
	reply_packet(script, data + 0x4000, 0x800, 0);
	wf_test_script_expect(script, "5A");

	g_assert_true(wf_da_read_flash(da, 0x10000, buf, 0x4800, NULL, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_cmpmem(buf, 0x4800, data, 0x4800);
	/* four packets again after the stream, one of them twice */
	g_assert_cmpuint(wf_da_get_resends(da), ==, 5);
	g_assert_true(wf_da_is_usable(da, NULL));
}

/* every packet damaged, every time: the stream ends, the re-read asks with
 * A5 up to the retry limit and then fails naming the offset */
static void
test_readback_ack_ahead_gives_up(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x800, 23);
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x800);
	const guint8 *data = g_bytes_get_data(flash, NULL);

	wf_da_set_max_retries(da, 2);
	wf_da_set_packet_size(da, 0x400);
	wf_test_script_expect(script, "D6 00 00020000 00000800");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00000400");
	for (guint i = 0; i < 2; i++) {
		wf_test_script_expect(script, "5A");
		reply_packet(script, data + i * 0x400, 0x400, 7);
	}
	wf_test_script_expect(script, "D6 00 00020000 00000800");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00000400");
	for (guint i = 0; i < 3; i++) {
		reply_packet(script, data, 0x400, 7);
		if (i < 2)
			wf_test_script_expect(script, "A5");
	}
	g_assert_false(wf_da_read_flash(da, 0x20000, buf, 0x800, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_VERIFY_FAILED);
	g_assert_nonnull(strstr(error->message, "packet at 0x00020000"));
	g_assert_nonnull(strstr(error->message, "3 times"));
	wf_test_script_assert_finished(script);
	g_assert_false(wf_da_is_usable(da, NULL));
}

/* cancelled after the first packet: its 5A went out ahead of it, the next
 * one never does, and the DA is left mid-command */
static void
test_readback_ack_ahead_cancel(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x1000, 24);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x3000);
	const guint8 *data = g_bytes_get_data(flash, NULL);

	g_signal_connect(progress, "changed", G_CALLBACK(cancel_after_first_packet), cancellable);
	wf_test_script_expect(script, "D6 00 00000000 00003000");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000 5A");
	reply_packet(script, data, 0x1000, 0);
	g_assert_false(wf_da_read_flash(da, 0, buf, 0x3000, progress, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	wf_test_script_assert_finished(script);
	g_assert_cmpmem(buf, 0x1000, data, 0x1000);
	g_assert_false(wf_da_is_usable(da, NULL));
}

static void
cancel_when_complete(WfProgress *progress, GCancellable *cancellable)
{
	if (wf_progress_get_bytes_done(progress) == wf_progress_get_bytes_total(progress))
		g_cancellable_cancel(cancellable);
}

/* cancelled once the stream is complete but a packet still needs reading
 * again: the DA is between commands, so the session stays usable */
static void
test_readback_ack_ahead_cancel_reread(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) flash = wf_test_da_random_bytes(0x2000, 25);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *buf = g_malloc0(0x2000);
	const guint8 *data = g_bytes_get_data(flash, NULL);

	g_signal_connect(progress, "changed", G_CALLBACK(cancel_when_complete), cancellable);
	wf_test_script_expect(script, "D6 00 00000000 00002000");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00001000 5A");
	reply_packet(script, data, 0x1000, 1);
	wf_test_script_expect(script, "5A");
	reply_packet(script, data + 0x1000, 0x1000, 0);
	g_assert_false(wf_da_read_flash(da, 0, buf, 0x2000, progress, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	wf_test_script_assert_finished(script);
	g_assert_true(wf_da_is_usable(da, NULL));
}

static void
script_frame(WfTestScript *script, const guint8 *data, gsize len)
{
	g_autofree guint8 *frame = g_malloc(len + 3);
	guint16 sum = wf_test_da_sum16(data, len);

	frame[0] = 0x5A;
	memcpy(frame + 1, data, len);
	frame[len + 1] = sum >> 8;
	frame[len + 2] = sum & 0xFF;
	wf_test_script_expect_bytes(script, frame, len + 3);
}

/* two files, given out of order; the first packet is refused once */
static void
test_write_nack(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) rom = wf_test_da_random_bytes(0x1800, 11);
	g_autoptr(GBytes) app = wf_test_da_random_bytes(0x800, 12);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GError) error = NULL;
	const guint8 *r = g_bytes_get_data(rom, NULL);
	const guint8 *a = g_bytes_get_data(app, NULL);
	WfDaWriteFile files[] = {
		{.name = "app", .start = 0x30000, .file_type = 0x7001, .data = app},
		{.name = "ROM", .start = 0x10000, .file_type = 0x0100, .data = rom},
	};

	/* D3 MEM, files by address, 2 erase steps for the ROM */
	wf_test_script_expect(script, "D3 A5 02");
	wf_test_script_expect(script, "00010000 000117FF 00000100");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00030000 000307FF 00007001");
	wf_test_script_reply(script, "5A");
	wf_test_script_reply(script, "02 5A 00000002 5A 5A 00000000 5A");
	/* D5 WRITE */
	wf_test_script_expect(script, "D5");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00 00001000");
	wf_test_script_reply(script, "5A 5A");
	script_frame(script, r, 0x1000);
	wf_test_script_reply(script, "A5 5A");
	wf_test_script_expect(script, "69");
	script_frame(script, r, 0x1000);
	wf_test_script_reply(script, "69");
	script_frame(script, r + 0x1000, 0x800);
	wf_test_script_reply(script, "69");
	script_frame(script, a, 0x800);
	wf_test_script_reply(script, "69 5A 5A 5A");
	/* per-file checksums: the sum of the packet sums = the sum of the bytes */
	{
		g_autofree gchar *sum_rom = g_strdup_printf("%04X", wf_test_da_sum16(r, 0x1800));
		g_autofree gchar *sum_app = g_strdup_printf("%04X", wf_test_da_sum16(a, 0x800));
		wf_test_script_expect(script, sum_rom);
		wf_test_script_reply(script, "5A");
		wf_test_script_expect(script, sum_app);
		wf_test_script_reply(script, "5A");
	}

	g_assert_true(wf_da_write_files(
		da, files, G_N_ELEMENTS(files), WF_DA_ERASE_BEST_EFFORT, progress, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_cmpuint(wf_da_get_resends(da), ==, 1);
	g_assert_cmpuint(wf_progress_get_bytes_done(progress), ==, 0x2000);
	g_assert_true(wf_da_is_usable(da, NULL));
}

/* a DA that goes straight from the last packet to its closing ACKs */
static void
test_write_closing_acks(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) bin = wf_test_da_random_bytes(0x200, 13);
	g_autoptr(GError) error = NULL;
	const guint8 *b = g_bytes_get_data(bin, NULL);
	WfDaWriteFile file = {.name = "app", .start = 0x20000, .file_type = 0x7001, .data = bin};
	g_autofree gchar *sum = g_strdup_printf("%04X", wf_test_da_sum16(b, 0x200));

	wf_test_script_expect(script, "D3 A5 01 00020000 000201FF 00007001");
	wf_test_script_reply(script, "5A 01 5A 00000000 5A");
	wf_test_script_expect(script, "D5");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "01 00001000");
	wf_test_script_reply(script, "5A 5A");
	script_frame(script, b, 0x200);
	wf_test_script_reply(script, "5A 5A 5A");
	wf_test_script_expect(script, sum);
	wf_test_script_reply(script, "5A");
	g_assert_true(wf_da_write_files(da, &file, 1, WF_DA_ERASE_SEQUENTIAL, NULL, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
}

static void
test_write_refused(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) bin = wf_test_da_random_bytes(0x200, 14);
	g_autoptr(GBytes) odd = wf_test_da_random_bytes(0x201, 15);
	g_autoptr(GError) error = NULL;
	WfDaWriteFile files[] = {
		{.name = "a", .start = 0x20000, .data = bin},
		{.name = "b", .start = 0x20100, .data = bin},
	};
	WfDaWriteFile odd_file = {.name = "odd", .start = 0x20000, .data = odd};
	WfDaWriteFile past_end = {.name = "end", .start = FLASH_SIZE - 0x100, .data = bin};
	guint writes = wf_test_script_get_n_writes(script);

	/* refused before a byte goes out: overlap, odd length, past the end */
	g_assert_false(
		wf_da_write_files(da, files, 2, WF_DA_ERASE_BEST_EFFORT, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "overlap"));
	g_clear_error(&error);
	g_assert_false(
		wf_da_write_files(da, &odd_file, 1, WF_DA_ERASE_BEST_EFFORT, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(
		wf_da_write_files(da, &past_end, 1, WF_DA_ERASE_BEST_EFFORT, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_cmpuint(wf_test_script_get_n_writes(script), ==, writes);
	g_assert_true(wf_da_is_usable(da, NULL));
}

static void
cancel_when_writing(WfProgress *progress, GCancellable *cancellable)
{
	if (g_strcmp0(wf_progress_get_message(progress), "Writing") == 0)
		g_cancellable_cancel(cancellable);
}

static void
test_write_cancel(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) bin = wf_test_da_random_bytes(0x2000, 16);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	WfDaWriteFile file = {.name = "ROM", .start = 0x10000, .file_type = 0x100, .data = bin};

	g_signal_connect(progress, "changed", G_CALLBACK(cancel_when_writing), cancellable);
	wf_test_script_expect(script, "D3 A5 01 00010000 00011FFF 00000100");
	wf_test_script_reply(script, "5A 01 5A 00000000 5A");
	wf_test_script_expect(script, "D5");
	wf_test_script_reply(script, "5A");
	wf_test_script_expect(script, "00 00001000");
	wf_test_script_reply(script, "5A 5A");
	/* a packet that starts with A5 instead of 5A aborts */
	wf_test_script_expect(script, "A5");
	g_assert_false(wf_da_write_files(da, &file, 1, 0, progress, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	wf_test_script_assert_finished(script);
	g_assert_false(wf_da_is_usable(da, NULL));
}

/* A5 + code → plain language; the DA stays usable after a refused command */
static void
test_status_errors(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GBytes) bin = wf_test_da_random_bytes(0x200, 17);
	g_autoptr(GError) error = NULL;
	WfDaWriteFile file = {.name = "ROM", .start = 0xB000, .file_type = 0x100, .data = bin};
	guint8 buf[0x100];

	/* a flash without a header block refuses D3 */
	wf_test_script_expect(script, "D3 A5 01 0000B000 0000B1FF 00000100");
	wf_test_script_reply(script, "A5 00000C62");
	g_assert_false(wf_da_write_files(da, &file, 1, 0, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "S_DA_HEADER_BLOCK_NOT_EXIST"));
	g_assert_nonnull(strstr(error->message, "header block"));
	g_assert_nonnull(strstr(error->message, "0xC62"));
	g_clear_error(&error);
	g_assert_true(wf_da_is_usable(da, NULL));

	/* a range the DA does not like */
	wf_test_script_expect(script, "D6 00 003FFF00 00000100");
	wf_test_script_reply(script, "A5 00000BDF");
	g_assert_false(wf_da_read_flash(da, 0x3FFF00, buf, sizeof(buf), NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "S_DA_INVALID_RANGE"));
	g_assert_nonnull(strstr(error->message, "outside the flash"));
	g_clear_error(&error);

	/* a range we know is wrong never reaches the DA */
	g_assert_false(wf_da_read_flash(da, 0x10001000, buf, sizeof(buf), NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_DATA);
	g_clear_error(&error);

	/* still talking */
	wf_test_script_expect(script, "B9");
	wf_test_script_reply(script, "5A");
	g_assert_true(wf_da_clear_powerkey(da, NULL, &error));
	g_assert_no_error(error);

	/* a byte that is neither ACK nor NACK ends the session */
	wf_test_script_expect(script, "B9");
	wf_test_script_reply(script, "33");
	g_assert_false(wf_da_clear_powerkey(da, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
	wf_test_script_assert_finished(script);
	g_assert_false(wf_da_is_usable(da, NULL));
}

static void
test_status_text(void)
{
	g_autofree gchar *blank = wf_da_status_describe(WF_DA_STATUS_BLANK_FLASH);
	g_autofree gchar *header = wf_da_status_describe(WF_DA_STATUS_HEADER_BLOCK_NOT_EXIST);
	g_autofree gchar *unknown = wf_da_status_describe(3999);
	g_autoptr(GError) error = NULL;
	/* every code the notes name, by their names */
	const guint32 named[] = {3008,
				 3009,
				 3011,
				 3013,
				 3014,
				 3015,
				 3020,
				 3037,
				 3039,
				 3040,
				 3041,
				 3064,
				 3081,
				 3170,
				 6011,
				 6012};

	g_assert_cmpstr(wf_da_status_get_name(0xC09), ==, "S_DA_BLANK_FLASH");
	g_assert_nonnull(strstr(blank, "0xC09"));
	g_assert_nonnull(strstr(blank, "bricked"));
	g_assert_cmpstr(wf_da_status_get_name(0xC62), ==, "S_DA_HEADER_BLOCK_NOT_EXIST");
	g_assert_nonnull(strstr(header, "0xC62"));
	g_assert_nonnull(strstr(header, "bricked"));
	g_assert_null(wf_da_status_get_name(3999));
	g_assert_nonnull(strstr(unknown, "3999"));
	g_assert_cmpstr(wf_da_status_get_name(WF_DA_STATUS_SF_CODE_READBACK_FORBIDDEN),
			==,
			"S_SECURITY_SF_CODE_READBACK_FORBIDDEN");
	for (guint i = 0; i < G_N_ELEMENTS(named); i++) {
		g_assert_nonnull(wf_da_status_get_name(named[i]));
		g_assert_nonnull(wf_da_status_to_string(named[i]));
	}
	wf_da_status_set_error(&error, WF_DA_STATUS_NOR_ERASE_FAILED, "erasing %s", "ROM");
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_true(
		g_str_has_prefix(error->message, "erasing ROM: erasing the flash chip failed"));
}

static void
test_finish(void)
{
	const gchar *last[] = {"A5", "5A"};

	for (guint i = 0; i < G_N_ELEMENTS(last); i++) {
		g_autoptr(WfTestScript) script = wf_test_script_new();
		g_autoptr(WfDa) da = connected_da(script);
		g_autoptr(GError) error = NULL;

		wf_test_script_expect(script, "D9");
		wf_test_script_reply(script, "5A");
		wf_test_script_expect(script, "00000000");
		wf_test_script_reply(script, last[i]);
		g_assert_true(wf_da_finish(da, 0, NULL, &error));
		g_assert_no_error(error);
		wf_test_script_assert_finished(script);
		/* the session is over */
		g_assert_false(wf_da_clear_powerkey(da, NULL, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_PROTOCOL);
		g_assert_nonnull(strstr(error->message, "finished"));
	}
}

static void
test_small_commands(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *project = NULL;
	guint8 id[64] = {0};
	WfDaFatInfo fat = {0};

	memcpy(id, "1418B01SIM868M32_EAT", 20);
	wf_test_script_expect(script, "EF");
	wf_test_script_reply(script, "00000000");
	wf_test_script_reply_bytes(script, id, sizeof(id));
	project = wf_da_get_project_id(da, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(project, ==, "1418B01SIM868M32_EAT");

	wf_test_script_expect(script, "EF");
	reply_u32(script, 3069); /* S_DA_HANDSET_ROM_INFO_NOT_FOUND */
	g_assert_null(wf_da_get_project_id(da, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "no ROM information"));
	g_clear_error(&error);

	wf_test_script_expect(script, "F0");
	wf_test_script_reply(script,
			     "00000000 00380000 0007E000 00000000 00000000 00000000 00000000");
	g_assert_true(wf_da_get_fat_info(da, &fat, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmphex(fat.nor_addr, ==, 0x380000);
	g_assert_cmphex(fat.nor_len, ==, 0x7E000);

	wf_test_script_expect(script, "DB 0140 00000000");
	wf_test_script_reply(script, "5A");
	g_assert_true(wf_da_enable_watchdog(da, 0x0140, 0, NULL, &error));
	g_assert_no_error(error);
	wf_test_script_assert_finished(script);
	g_assert_false(wf_da_is_usable(da, NULL));
}

static void
test_format(void)
{
	g_autoptr(WfTestScript) script = wf_test_script_new();
	g_autoptr(WfDa) da = connected_da(script);
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(GError) error = NULL;
	guint writes = wf_test_script_get_n_writes(script);

	/* without the advanced flag nothing goes out */
	g_assert_false(
		wf_da_format(da, 0x380000, 0x7E000, WF_DA_FORMAT_FLAG_NONE, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_REFUSED);
	g_clear_error(&error);
	g_assert_cmpuint(wf_test_script_get_n_writes(script), ==, writes);

	wf_test_script_expect(script, "D4 00 00 00 00380000 0007E000");
	wf_test_script_reply(script, "5A 5A 00000000 32");
	wf_test_script_expect(script, "5A");
	wf_test_script_reply(script, "00000000 64");
	wf_test_script_expect(script, "5A");
	g_assert_true(wf_da_format(
		da, 0x380000, 0x7E000, WF_DA_FORMAT_FLAG_ADVANCED, progress, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_progress_get_bytes_done(progress), ==, 100);

	/* an erase failure halfway */
	wf_test_script_expect(script, "D4 00 00 00 00380000 00001000");
	wf_test_script_reply(script, "5A 5A 00000BC7 10");
	g_assert_false(
		wf_da_format(da, 0x380000, 0x1000, WF_DA_FORMAT_FLAG_ADVANCED, NULL, NULL, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_DEVICE_STATUS);
	g_assert_nonnull(strstr(error->message, "S_DA_NOR_ERASE_FAILED"));
	wf_test_script_assert_finished(script);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/da/start-spft", test_start_spft);
	g_test_add_func("/da/start-wiz", test_start_wiz);
	g_test_add_func("/da/connect-auto", test_connect_auto);
	g_test_add_func("/da/sync-timeout", test_sync_timeout);
	g_test_add_func("/da/unknown-flash", test_unknown_flash);
	g_test_add_func("/da/report-errors", test_report_errors);
	g_test_add_func("/da/readback-resend", test_readback_resend);
	g_test_add_func("/da/readback-gives-up", test_readback_gives_up);
	g_test_add_func("/da/readback-cancel", test_readback_cancel);
	g_test_add_func("/da/readback-ack-ahead/default", test_readback_ack_ahead_default);
	g_test_add_func("/da/readback-ack-ahead/order", test_readback_ack_ahead_order);
	g_test_add_func("/da/readback-ack-ahead/reread", test_readback_ack_ahead_reread);
	g_test_add_func("/da/readback-ack-ahead/gives-up", test_readback_ack_ahead_gives_up);
	g_test_add_func("/da/readback-ack-ahead/cancel", test_readback_ack_ahead_cancel);
	g_test_add_func("/da/readback-ack-ahead/cancel-reread",
			test_readback_ack_ahead_cancel_reread);
	g_test_add_func("/da/write-nack", test_write_nack);
	g_test_add_func("/da/write-closing-acks", test_write_closing_acks);
	g_test_add_func("/da/write-refused", test_write_refused);
	g_test_add_func("/da/write-cancel", test_write_cancel);
	g_test_add_func("/da/status-errors", test_status_errors);
	g_test_add_func("/da/status-text", test_status_text);
	g_test_add_func("/da/finish", test_finish);
	g_test_add_func("/da/small-commands", test_small_commands);
	g_test_add_func("/da/format", test_format);
	return g_test_run();
}
