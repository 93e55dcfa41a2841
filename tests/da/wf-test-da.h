/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Synthetic Download Agent material for the tests: containers laid out as
 * protocol.md §4 describes, filled with pseudo-random "code" (never a real
 * DA), flash tables and start-up reports.
 */

typedef struct {
	guint16 hw_code;
	guint16 hw_sub_code;
	guint16 hw_version;
	guint16 sw_version;
	guint16 region_index; /* stage 1 is region[region_index] */
	guint32 stage1_len;
	guint32 stage2_len;
	guint32 stage1_sig_len;
	guint32 stage2_sig_len;
	guint n_records; /* flash-table records */
} WfTestDaEntry;

typedef struct {
	guint32 flash_size;
	guint16 flash_id;
	guint16 device_code[4];
	guint32 nor_ret;
	guint32 download_status;
	guint32 boot_style;
	guint8 soc;
	gboolean extra; /* the 24 bytes of WIZ builds */
} WfTestDaReport;

GBytes *
wf_test_da_random_bytes(gsize len, guint32 seed);
GBytes *
wf_test_da_flash_table(guint n_records, gboolean terminator);
GBytes *
wf_test_da_container(const WfTestDaEntry *entries, guint n_entries, gboolean old_format);
GBytes *
wf_test_da_flat(guint32 stage1_len, guint32 stage2_len, guint n_records, gsize trailing);
GBytes *
wf_test_da_report(const WfTestDaReport *spec);
guint16
wf_test_da_xor16(const guint8 *data, gsize len);
guint16
wf_test_da_sum16(const guint8 *data, gsize len);
gchar *
wf_test_da_hex(const guint8 *data, gsize len);

G_END_DECLS
