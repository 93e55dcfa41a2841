/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "wf-profile-db.h"
#include "wf-sim-image.h"

G_BEGIN_DECLS

/*
 * Synthetic watches and firmware for the profile tests, made with the
 * virtual watch's image generator: a backup folder is flash.bin plus a
 * backup.json as WfBackup writes it; a ROM file is the ROM region cut out
 * of an image.
 */

/* the chip a synthetic backup claims: what the boot ROM would report */
typedef struct {
	const gchar *chip; /* "MT6261DA"; NULL: not recorded */
	gint32 hw_code;	   /* -1: no device record */
	gint32 hw_version;
	gint32 efuse_version;
} WfTestChip;

extern const WfTestChip wf_test_chip_mt6261;
extern const WfTestChip wf_test_chip_mt6260;
extern const WfTestChip wf_test_chip_mt2503;

void
wf_test_spec_init(WfSimImageSpec *spec, gsize flash_size, guint32 jedec);
gchar *
wf_test_tmp_path(const gchar *name);
gchar *
wf_test_make_backup(const gchar *name, const WfSimImageSpec *spec, const WfTestChip *chip);
gchar *
wf_test_make_dump(const gchar *name, const WfSimImageSpec *spec);
gchar *
wf_test_make_rom(const gchar *name, const WfSimImageSpec *spec);
gchar *
wf_test_make_package(const gchar *name, const WfSimImageSpec *spec);
gchar *
wf_test_write_user_profile(const gchar *name, const gchar *json);
gchar *
wf_test_write_file(const gchar *name, const gchar *contents);
WfProfileDb *
wf_test_load_db(void);
gboolean
wf_test_strv_has(GPtrArray *lines, const gchar *needle);
gchar *
wf_test_data_path(const gchar *subdir, const gchar *name);

G_END_DECLS
