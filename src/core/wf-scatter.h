/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WF_TYPE_SCATTER (wf_scatter_get_type())
G_DECLARE_FINAL_TYPE(WfScatter, wf_scatter, WF, SCATTER, GObject)

/*
 * The classic MAUI / ARM-linker scatter-loading description
 * (`scat<PROJECT>.txt`, `scat<PROJECT>_flashtool.txt`), firmware-formats.md
 * §1.1: load regions holding execution regions holding input-section
 * selectors. For MT6260/61 it is a build artefact, not what SP Flash Tool
 * loads; Wristflash reads it to show a build's memory map.
 */

#define WF_SCATTER_MAX_SIZE (4 * 1024 * 1024)

/* what a config-ish text file is, from its first significant line */
typedef enum {
	WF_CONFIG_FILE_UNKNOWN,
	WF_CONFIG_FILE_CFG,		/* SP Flash Tool 5.x SV5 .cfg */
	WF_CONFIG_FILE_SCATTER,		/* classic region-block scatter */
	WF_CONFIG_FILE_ANDROID_SCATTER, /* MTK_PLATFORM_CFG, not for watches */
} WfConfigFileKind;

typedef enum {
	WF_SCATTER_ATTR_NONE = 0,
	WF_SCATTER_ATTR_ABSOLUTE = 1 << 0,
	WF_SCATTER_ATTR_ALIGN = 1 << 1, /* see WfScatterRegion.align */
	WF_SCATTER_ATTR_OVERLAY = 1 << 2,
	WF_SCATTER_ATTR_FIXED = 1 << 3,
	WF_SCATTER_ATTR_PI = 1 << 4,
	WF_SCATTER_ATTR_RELOC = 1 << 5,
	WF_SCATTER_ATTR_EMPTY = 1 << 6,
	WF_SCATTER_ATTR_ZEROPAD = 1 << 7,
	WF_SCATTER_ATTR_UNINIT = 1 << 8,
	WF_SCATTER_ATTR_NOCOMPRESS = 1 << 9,
} WfScatterAttr;

/* `module_pattern (section, section, …)` inside an execution region */
typedef struct {
	gchar *module;	     /* e.g. "*.obj", "main.o*", "*armlib/…" */
	GPtrArray *sections; /* (element-type utf8): "+RO", "MAUI_GFH", "+First" */
	guint line;
} WfScatterSelector;

/* a load region (children = execution regions) or an execution region
 * (selectors = its input sections) */
typedef struct {
	gchar *name;
	gboolean base_is_offset; /* "+0x400": relative to the previous region's end */
	guint64 base;		 /* address, or the offset when base_is_offset */
	WfScatterAttr attrs;
	guint64 align; /* with WF_SCATTER_ATTR_ALIGN */
	gboolean has_max_size;
	guint64 max_size;
	GPtrArray *children;  /* (element-type WfScatterRegion) */
	GPtrArray *selectors; /* (element-type WfScatterSelector) */
	guint line;
} WfScatterRegion;

WfConfigFileKind
wf_config_file_detect(GBytes *blob);
const gchar *
wf_config_file_kind_to_string(WfConfigFileKind kind);
void
wf_scatter_set_android_error(GError **error);

WfScatter *
wf_scatter_new(void);
gboolean
wf_scatter_parse(WfScatter *self, GBytes *blob, GError **error);
WfScatter *
wf_scatter_new_from_bytes(GBytes *blob, GError **error);
GPtrArray *
wf_scatter_get_load_regions(WfScatter *self);
WfScatterRegion *
wf_scatter_get_load_region(WfScatter *self, const gchar *name);
WfScatterRegion *
wf_scatter_region_get_child(WfScatterRegion *region, const gchar *name);
gchar *
wf_scatter_attr_to_string(WfScatterAttr attrs, guint64 align);
JsonNode *
wf_scatter_to_json(WfScatter *self);

G_END_DECLS
