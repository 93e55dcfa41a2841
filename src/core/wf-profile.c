/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-profile.h"

#include <string.h>

/*
 * Every entry kind is described by a table of fields: the name in the JSON
 * file, its type, whether it must be present, and where the parsed value
 * goes in the kind's struct. One validator and one free function walk the
 * table, so a new field is one line and cannot be parsed but not freed.
 */

#define WF_PROFILE_MAX_ID_LEN	  64
#define WF_PROFILE_MAX_STRING_LEN 2048

typedef enum {
	WF_FIELD_ID,	      /* gchar*: a lowercase id */
	WF_FIELD_STRING,      /* gchar*: non-empty string */
	WF_FIELD_STRING_NULL, /* gchar*: string or null */
	WF_FIELD_STRV,	      /* GPtrArray*: array of non-empty strings */
	WF_FIELD_IDV,	      /* GPtrArray*: array of ids */
	WF_FIELD_REGEXV,      /* GPtrArray*: array of regular expressions */
	WF_FIELD_SOURCES,     /* GPtrArray*: non-empty array of "TAG" / "TAG: detail" */
	WF_FIELD_CONFIDENCE,  /* WfConfidence */
	WF_FIELD_HEX8,	      /* gint32: "0x15" or null */
	WF_FIELD_HEX16,	      /* gint32: "0x6261" or null */
	WF_FIELD_HEX_MAP,     /* object of name -> 32-bit hex string; JSON only */
	WF_FIELD_HW_VALUES,   /* GPtrArray*: [{"value": hex16, "name": string|null}] */
	WF_FIELD_DA_ENTRY,    /* object of four hex16-or-null keys, or null; JSON only */
	WF_FIELD_JEDEC,	      /* gint64: "C86017" or null */
	WF_FIELD_SIZE,	      /* guint64: positive integer or null */
	WF_FIELD_SIZES,	      /* GArray*: array of positive integers */
	WF_FIELD_LAYOUT,      /* WfProfileModel.layout + has_layout, or null */
	WF_FIELD_DEVICE_TYPE, /* gchar*: watch, phone, module or tracker */
	WF_FIELD_RESOLUTION,  /* gchar*: "240x240" or null */
} WfFieldType;

#define WF_FIELD_JSON_ONLY (-1)

typedef struct {
	const gchar *name;
	WfFieldType type;
	gboolean required;
	gssize offset; /* into the kind's struct, or WF_FIELD_JSON_ONLY */
} WfFieldSpec;

#define E(member) ((gssize)G_STRUCT_OFFSET(WfProfileEntry, member))
#define S(member) ((gssize)G_STRUCT_OFFSET(WfProfileSoc, member))
#define F(member) ((gssize)G_STRUCT_OFFSET(WfProfileFlashPart, member))
#define C(member) ((gssize)G_STRUCT_OFFSET(WfProfileController, member))
#define M(member) ((gssize)G_STRUCT_OFFSET(WfProfileModel, member))

/* fields every kind has */
/* clang-format off */
#define WF_COMMON_FIELDS                                                                           \
	{"id", WF_FIELD_ID, TRUE, E(id)},                                                          \
	{"notes", WF_FIELD_STRING_NULL, FALSE, E(notes)},                                          \
	{"confidence", WF_FIELD_CONFIDENCE, FALSE, E(confidence)},                                 \
	{"sources", WF_FIELD_SOURCES, TRUE, E(sources)}
/* clang-format on */

static const WfFieldSpec wf_soc_fields[] = {
	WF_COMMON_FIELDS,
	{"name", WF_FIELD_STRING, TRUE, S(name)},
	{"aliases", WF_FIELD_STRV, FALSE, S(aliases)},
	{"hw_code", WF_FIELD_HEX16, FALSE, S(hw_code)},
	{"hw_subcode", WF_FIELD_HEX16, FALSE, S(hw_subcode)},
	{"sw_version", WF_FIELD_HEX16, FALSE, S(sw_version)},
	{"hw_versions", WF_FIELD_HW_VALUES, FALSE, S(hw_versions)},
	{"efuse_versions", WF_FIELD_HW_VALUES, FALSE, S(efuse_versions)},
	{"brom_version", WF_FIELD_HEX8, FALSE, S(brom_version)},
	{"maui_branches", WF_FIELD_STRV, FALSE, S(maui_branches)},
	{"registers", WF_FIELD_HEX_MAP, FALSE, WF_FIELD_JSON_ONLY},
	{"memory", WF_FIELD_HEX_MAP, FALSE, WF_FIELD_JSON_ONLY},
	{"da_entry", WF_FIELD_DA_ENTRY, FALSE, WF_FIELD_JSON_ONLY},
	{"quirks", WF_FIELD_STRV, FALSE, S(quirks)},
	{NULL, 0, FALSE, 0},
};

static const WfFieldSpec wf_flash_fields[] = {
	WF_COMMON_FIELDS,
	{"jedec_id", WF_FIELD_JEDEC, TRUE, F(jedec)},
	{"vendor", WF_FIELD_STRING_NULL, FALSE, F(vendor)},
	{"part", WF_FIELD_STRING_NULL, FALSE, F(part)},
	{"series", WF_FIELD_STRING_NULL, FALSE, F(series)},
	{"size", WF_FIELD_SIZE, FALSE, F(size)},
	{"voltage", WF_FIELD_STRING_NULL, FALSE, F(voltage)},
	{"seen_in", WF_FIELD_STRV, FALSE, F(seen_in)},
	{NULL, 0, FALSE, 0},
};

static const WfFieldSpec wf_lcd_fields[] = {
	WF_COMMON_FIELDS,
	{"part", WF_FIELD_STRING_NULL, FALSE, C(part)},
	{"vendor", WF_FIELD_STRING_NULL, FALSE, C(vendor)},
	{"tokens", WF_FIELD_STRV, TRUE, C(tokens)},
	{"lcd_id", WF_FIELD_STRING_NULL, FALSE, C(lcd_id)},
	{NULL, 0, FALSE, 0},
};

static const WfFieldSpec wf_touch_fields[] = {
	WF_COMMON_FIELDS,
	{"part", WF_FIELD_STRING_NULL, FALSE, C(part)},
	{"vendor", WF_FIELD_STRING_NULL, FALSE, C(vendor)},
	{"tokens", WF_FIELD_STRV, TRUE, C(tokens)},
	{"i2c_address", WF_FIELD_HEX8, FALSE, C(i2c_address)},
	{"chip_id_register", WF_FIELD_HEX8, FALSE, C(chip_id_register)},
	{NULL, 0, FALSE, 0},
};

static const WfFieldSpec wf_model_fields[] = {
	WF_COMMON_FIELDS,
	{"name", WF_FIELD_STRING, TRUE, M(name)},
	{"variant", WF_FIELD_STRING_NULL, FALSE, M(variant)},
	{"aliases", WF_FIELD_STRV, FALSE, M(aliases)},
	{"device_type", WF_FIELD_DEVICE_TYPE, FALSE, M(device_type)},
	{"socs", WF_FIELD_IDV, FALSE, M(socs)},
	{"soc_note", WF_FIELD_STRING_NULL, FALSE, M(soc_note)},
	{"flash_parts", WF_FIELD_IDV, FALSE, M(flash_parts)},
	{"flash_sizes", WF_FIELD_SIZES, FALSE, M(flash_sizes)},
	{"ram_size", WF_FIELD_SIZE, FALSE, M(ram_size)},
	{"lcd", WF_FIELD_IDV, FALSE, M(lcd)},
	{"touch", WF_FIELD_IDV, FALSE, M(touch)},
	{"panel_tokens", WF_FIELD_STRV, FALSE, M(panel_tokens)},
	{"model_tokens", WF_FIELD_STRV, FALSE, M(model_tokens)},
	{"base_projects", WF_FIELD_STRV, FALSE, M(base_projects)},
	{"maui_branches", WF_FIELD_STRV, FALSE, M(maui_branches)},
	{"hw_strings", WF_FIELD_STRV, FALSE, M(hw_strings)},
	{"version_patterns", WF_FIELD_REGEXV, FALSE, M(version_patterns)},
	{"version_examples", WF_FIELD_STRV, FALSE, M(version_examples)},
	{"layout", WF_FIELD_LAYOUT, FALSE, M(layout)},
	{"resolution", WF_FIELD_RESOLUTION, FALSE, M(resolution)},
	{NULL, 0, FALSE, 0},
};

static const struct {
	const gchar *name;
	const gchar *section;
	gsize size;
	const WfFieldSpec *fields;
} wf_profile_kinds[WF_PROFILE_KIND_LAST] = {
	[WF_PROFILE_KIND_SOC] = {"soc", "socs", sizeof(WfProfileSoc), wf_soc_fields},
	[WF_PROFILE_KIND_FLASH_PART] = {"flash-part",
					"flash_parts",
					sizeof(WfProfileFlashPart),
					wf_flash_fields},
	[WF_PROFILE_KIND_LCD] = {"lcd",
				 "lcd_controllers",
				 sizeof(WfProfileController),
				 wf_lcd_fields},
	[WF_PROFILE_KIND_TOUCH] = {"touch",
				   "touch_controllers",
				   sizeof(WfProfileController),
				   wf_touch_fields},
	[WF_PROFILE_KIND_MODEL] = {"model", "models", sizeof(WfProfileModel), wf_model_fields},
};

static const gchar *wf_layout_members[] = {"header_block",
					   "bootloader",
					   "ext_bootloader",
					   "rom",
					   "fs_base",
					   "fs_size",
					   "mutable_from"};
static const gchar *wf_da_entry_members[] = {"hw_code", "hw_subcode", "hw_version", "sw_version"};
static const gchar *wf_device_types[] = {"watch", "phone", "module", "tracker"};

/**
 * wf_profile_kind_to_string:
 *
 * Returns: "soc", "flash-part", "lcd", "touch" or "model"
 */
const gchar *
wf_profile_kind_to_string(WfProfileKind kind)
{
	g_return_val_if_fail(kind < WF_PROFILE_KIND_LAST, NULL);
	return wf_profile_kinds[kind].name;
}

/**
 * wf_profile_kind_to_section:
 *
 * Returns: the array name in a profile file, e.g. "flash_parts"
 */
const gchar *
wf_profile_kind_to_section(WfProfileKind kind)
{
	g_return_val_if_fail(kind < WF_PROFILE_KIND_LAST, NULL);
	return wf_profile_kinds[kind].section;
}

gboolean
wf_profile_kind_from_section(const gchar *section, WfProfileKind *kind)
{
	for (guint i = 0; i < WF_PROFILE_KIND_LAST; i++) {
		if (g_strcmp0(section, wf_profile_kinds[i].section) == 0) {
			if (kind != NULL)
				*kind = i;
			return TRUE;
		}
	}
	return FALSE;
}

/* ---- problems ---------------------------------------------------------------------------- */

/**
 * wf_profile_problem_new:
 * @file: the profile file
 * @entry: (nullable): which entry, e.g. "models[3] (dz09-k91)"
 * @field: (nullable): which field
 * @user: whether @file is the user's own
 * @message: what is wrong
 *
 * Returns: (transfer full): a problem record
 */
WfProfileProblem *
wf_profile_problem_new(const gchar *file,
		       const gchar *entry,
		       const gchar *field,
		       gboolean user,
		       const gchar *message)
{
	WfProfileProblem *problem = g_new0(WfProfileProblem, 1);
	g_return_val_if_fail(message != NULL, NULL);
	problem->file = g_strdup(file);
	problem->entry = g_strdup(entry);
	problem->field = g_strdup(field);
	problem->user = user;
	problem->message = g_strdup(message);
	return problem;
}

void
wf_profile_problem_free(WfProfileProblem *problem)
{
	if (problem == NULL)
		return;
	g_free(problem->file);
	g_free(problem->entry);
	g_free(problem->field);
	g_free(problem->message);
	g_free(problem);
}

/**
 * wf_profile_problem_to_string:
 *
 * Returns: (transfer full): "FILE: ENTRY: field ‘F’: MESSAGE"
 */
gchar *
wf_profile_problem_to_string(const WfProfileProblem *problem)
{
	GString *str = g_string_new(NULL);
	g_return_val_if_fail(problem != NULL, NULL);
	if (problem->file != NULL)
		g_string_append_printf(str, "%s: ", problem->file);
	if (problem->entry != NULL)
		g_string_append_printf(str, "%s: ", problem->entry);
	if (problem->field != NULL)
		g_string_append_printf(str, "field ‘%s’: ", problem->field);
	g_string_append(str, problem->message);
	return g_string_free(str, FALSE);
}

static void
wf_profile_json_add_nullable(JsonBuilder *b, const gchar *member, const gchar *value)
{
	json_builder_set_member_name(b, member);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

JsonNode *
wf_profile_problem_to_json(const WfProfileProblem *problem)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_return_val_if_fail(problem != NULL, NULL);
	json_builder_begin_object(b);
	wf_profile_json_add_nullable(b, "file", problem->file);
	wf_profile_json_add_nullable(b, "entry", problem->entry);
	wf_profile_json_add_nullable(b, "field", problem->field);
	json_builder_set_member_name(b, "user");
	json_builder_add_boolean_value(b, problem->user);
	wf_profile_json_add_nullable(b, "message", problem->message);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* ---- parsing ----------------------------------------------------------------------------- */

typedef struct {
	const gchar *file;
	gboolean user;
	gchar *label; /* "models[3] (dz09-k91)" */
	JsonObject *file_sources;
	GPtrArray *problems;
	guint n_problems;
} WfParseCtx;

static void
wf_parse_problem(WfParseCtx *ctx, const gchar *field, const gchar *format, ...) G_GNUC_PRINTF(3, 4);

static void
wf_parse_problem(WfParseCtx *ctx, const gchar *field, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(ctx->problems,
			wf_profile_problem_new(ctx->file, ctx->label, field, ctx->user, message));
	ctx->n_problems++;
}

static gboolean
wf_profile_is_id(const gchar *s)
{
	gsize len = strlen(s);
	if (len == 0 || len > WF_PROFILE_MAX_ID_LEN)
		return FALSE;
	if (!g_ascii_islower(s[0]) && !g_ascii_isdigit(s[0]))
		return FALSE;
	for (gsize i = 1; i < len; i++) {
		if (!g_ascii_islower(s[i]) && !g_ascii_isdigit(s[i]) && strchr("-._", s[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* "0x" and 1..8 hex digits, at most @max */
static gboolean
wf_profile_parse_hex(const gchar *s, guint64 max, gint64 *out)
{
	guint64 value = 0;
	gsize len;

	if (s == NULL || !g_str_has_prefix(s, "0x"))
		return FALSE;
	len = strlen(s + 2);
	if (len == 0 || len > 8)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(s[2 + i]))
			return FALSE;
		value = value * 16 + (guint64)g_ascii_xdigit_value(s[2 + i]);
	}
	if (value > max)
		return FALSE;
	*out = (gint64)value;
	return TRUE;
}

/**
 * wf_profile_jedec_parse:
 * @text: six hex digits, e.g. "C86017" (spaces between bytes allowed)
 * @jedec: (out): 0xC86017
 *
 * Returns: %TRUE if @text is a 3-byte JEDEC id
 */
gboolean
wf_profile_jedec_parse(const gchar *text, gint64 *jedec)
{
	guint64 value = 0;
	guint digits = 0;

	g_return_val_if_fail(jedec != NULL, FALSE);
	if (text == NULL)
		return FALSE;
	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == ' ' && digits > 0 && digits % 2 == 0)
			continue;
		if (!g_ascii_isxdigit(*p) || digits == 6)
			return FALSE;
		value = value * 16 + (guint64)g_ascii_xdigit_value(*p);
		digits++;
	}
	if (digits != 6)
		return FALSE;
	*jedec = (gint64)value;
	return TRUE;
}

/**
 * wf_profile_jedec_to_string:
 *
 * Returns: (transfer full): "C86017"
 */
gchar *
wf_profile_jedec_to_string(gint64 jedec)
{
	g_return_val_if_fail(jedec >= 0 && jedec <= 0xFFFFFF, NULL);
	return g_strdup_printf("%06" G_GINT64_MODIFIER "X", jedec);
}

/**
 * wf_profile_jedec_to_display:
 *
 * Returns: (transfer full): "C8 60 17", as the notes and flash tools write it
 */
gchar *
wf_profile_jedec_to_display(gint64 jedec)
{
	g_return_val_if_fail(jedec >= 0 && jedec <= 0xFFFFFF, NULL);
	return g_strdup_printf("%02X %02X %02X",
			       (guint)(jedec >> 16) & 0xFF,
			       (guint)(jedec >> 8) & 0xFF,
			       (guint)jedec & 0xFF);
}

gboolean
wf_profile_strv_contains(GPtrArray *array, const gchar *text)
{
	if (array == NULL || text == NULL)
		return FALSE;
	for (guint i = 0; i < array->len; i++) {
		if (g_ascii_strcasecmp(g_ptr_array_index(array, i), text) == 0)
			return TRUE;
	}
	return FALSE;
}

static const gchar *
wf_parse_string(WfParseCtx *ctx, JsonNode *node, const gchar *field, gboolean nullable)
{
	const gchar *s;

	if (nullable && JSON_NODE_HOLDS_NULL(node))
		return NULL;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		wf_parse_problem(
			ctx, field, nullable ? "must be a string or null" : "must be a string");
		return NULL;
	}
	s = json_node_get_string(node);
	if (s[0] == '\0') {
		wf_parse_problem(ctx, field, "must not be empty (use null for unknown)");
		return NULL;
	}
	if (strlen(s) > WF_PROFILE_MAX_STRING_LEN) {
		wf_parse_problem(ctx, field, "is longer than %d bytes", WF_PROFILE_MAX_STRING_LEN);
		return NULL;
	}
	return s;
}

static gint64
wf_parse_hex_node(WfParseCtx *ctx, JsonNode *node, const gchar *field, guint64 max, gboolean *ok)
{
	gint64 value = WF_PROFILE_UNKNOWN;
	const gchar *s;

	*ok = TRUE;
	if (JSON_NODE_HOLDS_NULL(node))
		return WF_PROFILE_UNKNOWN;
	s = JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
		    ? json_node_get_string(node)
		    : NULL;
	if (!wf_profile_parse_hex(s, max, &value)) {
		wf_parse_problem(ctx,
				 field,
				 "must be a hex string \"0x…\" up to 0x%" G_GINT64_MODIFIER
				 "X, or null",
				 (gint64)max);
		*ok = FALSE;
		return WF_PROFILE_UNKNOWN;
	}
	return value;
}

static GPtrArray *
wf_parse_strv(WfParseCtx *ctx, JsonNode *node, const gchar *field, gboolean ids)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		wf_parse_problem(ctx,
				 field,
				 ids ? "must be an array of ids" : "must be an array of strings");
		return NULL;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		g_autofree gchar *where = g_strdup_printf("%s[%u]", field, i);
		const gchar *s = wf_parse_string(ctx, element, where, FALSE);
		if (s == NULL)
			return NULL;
		if (ids && !wf_profile_is_id(s)) {
			wf_parse_problem(ctx,
					 where,
					 "‘%s’ is not an id (lower-case letters, digits, - . _)",
					 s);
			return NULL;
		}
		if (wf_profile_strv_contains(out, s)) {
			wf_parse_problem(ctx, where, "‘%s’ is listed twice", s);
			return NULL;
		}
		g_ptr_array_add(out, g_strdup(s));
	}
	return g_steal_pointer(&out);
}

/* "TAG" or "TAG: detail", TAG defined in the file's "sources" map */
static GPtrArray *
wf_parse_sources(WfParseCtx *ctx, JsonNode *node, const gchar *field)
{
	g_autoptr(GPtrArray) sources = wf_parse_strv(ctx, node, field, FALSE);

	if (sources == NULL)
		return NULL;
	if (sources->len == 0) {
		wf_parse_problem(
			ctx, field, "needs at least one source: where does this come from?");
		return NULL;
	}
	for (guint i = 0; i < sources->len; i++) {
		const gchar *s = g_ptr_array_index(sources, i);
		const gchar *colon = strchr(s, ':');
		g_autofree gchar *tag =
			g_strstrip(colon != NULL ? g_strndup(s, colon - s) : g_strdup(s));
		if (ctx->file_sources == NULL || !json_object_has_member(ctx->file_sources, tag)) {
			wf_parse_problem(ctx,
					 field,
					 "source tag ‘%s’ is not defined in the file's \"sources\"",
					 tag);
			return NULL;
		}
	}
	return g_steal_pointer(&sources);
}

static void
wf_profile_hw_value_free(gpointer data)
{
	WfProfileHwValue *value = data;
	g_free(value->name);
	g_free(value);
}

static GPtrArray *
wf_parse_hw_values(WfParseCtx *ctx, JsonNode *node, const gchar *field)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(wf_profile_hw_value_free);
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		wf_parse_problem(ctx, field, "must be an array of {\"value\", \"name\"} objects");
		return NULL;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		g_autofree gchar *where = g_strdup_printf("%s[%u]", field, i);
		g_autofree gchar *where_value = g_strdup_printf("%s.value", where);
		g_autofree gchar *where_name = g_strdup_printf("%s.name", where);
		g_autoptr(GList) members = NULL;
		WfProfileHwValue *value;
		JsonObject *obj;
		gboolean ok = TRUE;
		gint64 v;

		if (!JSON_NODE_HOLDS_OBJECT(element)) {
			wf_parse_problem(ctx, where, "must be an object");
			return NULL;
		}
		obj = json_node_get_object(element);
		members = json_object_get_members(obj);
		for (GList *m = members; m != NULL; m = m->next) {
			if (g_strcmp0(m->data, "value") != 0 && g_strcmp0(m->data, "name") != 0) {
				g_autofree gchar *bad =
					g_strdup_printf("%s.%s", where, (const gchar *)m->data);
				wf_parse_problem(ctx, bad, "unknown field (typo?)");
				return NULL;
			}
		}
		if (!json_object_has_member(obj, "value")) {
			wf_parse_problem(ctx, where_value, "is required");
			return NULL;
		}
		v = wf_parse_hex_node(
			ctx, json_object_get_member(obj, "value"), where_value, 0xFFFF, &ok);
		if (!ok)
			return NULL;
		if (v < 0) {
			wf_parse_problem(ctx, where_value, "must not be null");
			return NULL;
		}
		value = g_new0(WfProfileHwValue, 1);
		value->value = (guint16)v;
		g_ptr_array_add(out, value);
		if (json_object_has_member(obj, "name")) {
			JsonNode *name = json_object_get_member(obj, "name");
			const gchar *s = wf_parse_string(ctx, name, where_name, TRUE);
			if (s == NULL && !JSON_NODE_HOLDS_NULL(name))
				return NULL;
			value->name = g_strdup(s);
		}
	}
	return g_steal_pointer(&out);
}

/* an object whose members are all from @allowed (NULL: any name) and hold
 * hex strings up to @max or null; stores them in @out in @allowed order */
static gboolean
wf_parse_hex_object(WfParseCtx *ctx,
		    JsonNode *node,
		    const gchar *field,
		    const gchar **allowed,
		    guint n_allowed,
		    guint64 max,
		    gint64 *out)
{
	JsonObject *obj;
	g_autoptr(GList) members = NULL;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		wf_parse_problem(ctx, field, "must be an object");
		return FALSE;
	}
	obj = json_node_get_object(node);
	members = json_object_get_members(obj);
	for (GList *m = members; m != NULL; m = m->next) {
		const gchar *name = m->data;
		g_autofree gchar *where = g_strdup_printf("%s.%s", field, name);
		gboolean ok = TRUE;
		gint64 value;
		gint idx = -1;

		for (guint i = 0; allowed != NULL && i < n_allowed; i++) {
			if (g_strcmp0(allowed[i], name) == 0)
				idx = (gint)i;
		}
		if (allowed != NULL && idx < 0) {
			wf_parse_problem(ctx, where, "unknown field (typo?)");
			return FALSE;
		}
		if (allowed == NULL && !wf_profile_is_id(name)) {
			wf_parse_problem(ctx, where, "names must be lower-case identifiers");
			return FALSE;
		}
		value = wf_parse_hex_node(ctx, json_object_get_member(obj, name), where, max, &ok);
		if (!ok)
			return FALSE;
		if (out != NULL && idx >= 0)
			out[idx] = value;
	}
	return TRUE;
}

static GArray *
wf_parse_sizes(WfParseCtx *ctx, JsonNode *node, const gchar *field)
{
	g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(guint64));
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		wf_parse_problem(ctx, field, "must be an array of sizes in bytes");
		return NULL;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		gint64 v;
		if (!JSON_NODE_HOLDS_VALUE(element) ||
		    json_node_get_value_type(element) != G_TYPE_INT64 ||
		    (v = json_node_get_int(element)) <= 0) {
			g_autofree gchar *where = g_strdup_printf("%s[%u]", field, i);
			wf_parse_problem(
				ctx, where, "must be a size in bytes (a positive integer)");
			return NULL;
		}
		g_array_append_val(out, v);
	}
	return g_steal_pointer(&out);
}

static gboolean
wf_parse_resolution(const gchar *s)
{
	guint64 w, h;
	gchar *end = NULL;

	w = g_ascii_strtoull(s, &end, 10);
	if (end == s || *end != 'x' || w == 0 || w > 4096)
		return FALSE;
	s = end + 1;
	h = g_ascii_strtoull(s, &end, 10);
	return end != s && *end == '\0' && h > 0 && h <= 4096;
}

static const WfFieldSpec *
wf_profile_find_field(const WfFieldSpec *fields, const gchar *name)
{
	for (const WfFieldSpec *f = fields; f->name != NULL; f++) {
		if (g_strcmp0(f->name, name) == 0)
			return f;
	}
	return NULL;
}

/* sets the unparsed default of every field: unknown, empty */
static void
wf_profile_entry_init_defaults(WfProfileEntry *entry, const WfFieldSpec *fields)
{
	for (const WfFieldSpec *f = fields; f->name != NULL; f++) {
		gpointer p;
		if (f->offset == WF_FIELD_JSON_ONLY)
			continue;
		p = G_STRUCT_MEMBER_P(entry, f->offset);
		switch (f->type) {
		case WF_FIELD_STRV:
		case WF_FIELD_IDV:
		case WF_FIELD_REGEXV:
		case WF_FIELD_SOURCES:
			*(GPtrArray **)p = g_ptr_array_new_with_free_func(g_free);
			break;
		case WF_FIELD_HW_VALUES:
			*(GPtrArray **)p = g_ptr_array_new_with_free_func(wf_profile_hw_value_free);
			break;
		case WF_FIELD_SIZES:
			*(GArray **)p = g_array_new(FALSE, FALSE, sizeof(guint64));
			break;
		case WF_FIELD_HEX8:
		case WF_FIELD_HEX16:
			*(gint32 *)p = WF_PROFILE_UNKNOWN;
			break;
		case WF_FIELD_JEDEC:
			*(gint64 *)p = WF_PROFILE_UNKNOWN;
			break;
		case WF_FIELD_LAYOUT: {
			WfProfileLayout *layout = p;
			layout->header_block = layout->bootloader = layout->ext_bootloader =
				layout->rom = layout->fs_base = layout->fs_size =
					layout->mutable_from = WF_PROFILE_UNKNOWN;
			break;
		}
		default:
			break;
		}
	}
}

static void
wf_profile_set_ptr_array(gpointer p, GPtrArray *value)
{
	GPtrArray **slot = p;
	if (*slot != NULL)
		g_ptr_array_unref(*slot);
	*slot = value;
}

/* parses one member into its slot; records a problem and returns FALSE if invalid */
static gboolean
wf_profile_parse_field(WfParseCtx *ctx, WfProfileEntry *entry, const WfFieldSpec *f, JsonNode *node)
{
	gpointer p = f->offset != WF_FIELD_JSON_ONLY ? G_STRUCT_MEMBER_P(entry, f->offset) : NULL;
	guint before = ctx->n_problems;
	gboolean ok = TRUE;

	switch (f->type) {
	case WF_FIELD_ID: {
		const gchar *s = wf_parse_string(ctx, node, f->name, FALSE);
		if (s != NULL && !wf_profile_is_id(s)) {
			wf_parse_problem(
				ctx,
				f->name,
				"‘%s’ is not an id: 1-%d lower-case letters, digits, - . _",
				s,
				WF_PROFILE_MAX_ID_LEN);
		} else if (s != NULL) {
			*(gchar **)p = g_strdup(s);
		}
		break;
	}
	case WF_FIELD_STRING:
	case WF_FIELD_STRING_NULL: {
		const gchar *s =
			wf_parse_string(ctx, node, f->name, f->type == WF_FIELD_STRING_NULL);
		*(gchar **)p = g_strdup(s);
		break;
	}
	case WF_FIELD_DEVICE_TYPE: {
		const gchar *s = wf_parse_string(ctx, node, f->name, FALSE);
		if (s != NULL && !g_strv_contains(wf_device_types, s))
			wf_parse_problem(ctx,
					 f->name,
					 "must be \"watch\", \"phone\", \"module\" or \"tracker\"");
		else
			*(gchar **)p = g_strdup(s);
		break;
	}
	case WF_FIELD_RESOLUTION: {
		const gchar *s = wf_parse_string(ctx, node, f->name, TRUE);
		if (s != NULL && !wf_parse_resolution(s))
			wf_parse_problem(ctx, f->name, "must be \"WIDTHxHEIGHT\" or null");
		else
			*(gchar **)p = g_strdup(s);
		break;
	}
	case WF_FIELD_STRV:
	case WF_FIELD_IDV: {
		GPtrArray *v = wf_parse_strv(ctx, node, f->name, f->type == WF_FIELD_IDV);
		if (v != NULL)
			wf_profile_set_ptr_array(p, v);
		break;
	}
	case WF_FIELD_REGEXV: {
		GPtrArray *v = wf_parse_strv(ctx, node, f->name, FALSE);
		for (guint i = 0; v != NULL && i < v->len; i++) {
			g_autoptr(GError) error_local = NULL;
			g_autoptr(GRegex) re = g_regex_new(
				g_ptr_array_index(v, i), G_REGEX_CASELESS, 0, &error_local);
			if (re == NULL) {
				g_autofree gchar *where = g_strdup_printf("%s[%u]", f->name, i);
				wf_parse_problem(ctx,
						 where,
						 "not a regular expression: %s",
						 error_local->message);
			}
		}
		if (v != NULL)
			wf_profile_set_ptr_array(p, v);
		break;
	}
	case WF_FIELD_SOURCES: {
		GPtrArray *v = wf_parse_sources(ctx, node, f->name);
		if (v != NULL)
			wf_profile_set_ptr_array(p, v);
		break;
	}
	case WF_FIELD_CONFIDENCE: {
		const gchar *s = wf_parse_string(ctx, node, f->name, FALSE);
		WfConfidence c = wf_confidence_from_string(s);
		if (s != NULL && c == WF_CONFIDENCE_UNKNOWN)
			wf_parse_problem(ctx, f->name, "must be \"high\", \"medium\" or \"low\"");
		else
			*(WfConfidence *)p = c;
		break;
	}
	case WF_FIELD_HEX8:
	case WF_FIELD_HEX16: {
		gint64 v = wf_parse_hex_node(
			ctx, node, f->name, f->type == WF_FIELD_HEX8 ? 0xFF : 0xFFFF, &ok);
		*(gint32 *)p = (gint32)v;
		break;
	}
	case WF_FIELD_HEX_MAP:
		wf_parse_hex_object(ctx, node, f->name, NULL, 0, G_MAXUINT32, NULL);
		break;
	case WF_FIELD_DA_ENTRY:
		if (!JSON_NODE_HOLDS_NULL(node))
			wf_parse_hex_object(ctx,
					    node,
					    f->name,
					    wf_da_entry_members,
					    G_N_ELEMENTS(wf_da_entry_members),
					    0xFFFF,
					    NULL);
		break;
	case WF_FIELD_HW_VALUES: {
		GPtrArray *v = wf_parse_hw_values(ctx, node, f->name);
		if (v != NULL)
			wf_profile_set_ptr_array(p, v);
		break;
	}
	case WF_FIELD_JEDEC: {
		const gchar *s = wf_parse_string(ctx, node, f->name, TRUE);
		gint64 v = WF_PROFILE_UNKNOWN;
		if (s != NULL && !wf_profile_jedec_parse(s, &v))
			wf_parse_problem(
				ctx, f->name, "must be six hex digits such as \"C86017\", or null");
		*(gint64 *)p = v;
		break;
	}
	case WF_FIELD_SIZE:
		if (JSON_NODE_HOLDS_NULL(node))
			break;
		if (!JSON_NODE_HOLDS_VALUE(node) ||
		    json_node_get_value_type(node) != G_TYPE_INT64 || json_node_get_int(node) <= 0)
			wf_parse_problem(ctx,
					 f->name,
					 "must be a size in bytes (a positive integer) or null");
		else
			*(guint64 *)p = (guint64)json_node_get_int(node);
		break;
	case WF_FIELD_SIZES: {
		GArray *v = wf_parse_sizes(ctx, node, f->name);
		if (v != NULL) {
			g_array_unref(*(GArray **)p);
			*(GArray **)p = v;
		}
		break;
	}
	case WF_FIELD_LAYOUT: {
		WfProfileModel *model = (WfProfileModel *)entry;
		gint64 values[G_N_ELEMENTS(wf_layout_members)];
		if (JSON_NODE_HOLDS_NULL(node))
			break;
		for (guint i = 0; i < G_N_ELEMENTS(values); i++)
			values[i] = WF_PROFILE_UNKNOWN;
		if (!wf_parse_hex_object(ctx,
					 node,
					 f->name,
					 wf_layout_members,
					 G_N_ELEMENTS(wf_layout_members),
					 G_MAXUINT32,
					 values))
			break;
		model->has_layout = TRUE;
		model->layout.header_block = values[0];
		model->layout.bootloader = values[1];
		model->layout.ext_bootloader = values[2];
		model->layout.rom = values[3];
		model->layout.fs_base = values[4];
		model->layout.fs_size = values[5];
		model->layout.mutable_from = values[6];
		break;
	}
	default:
		g_assert_not_reached();
	}
	return ok && ctx->n_problems == before;
}

/* checks that need several fields */
static void
wf_profile_entry_check(WfParseCtx *ctx, WfProfileEntry *entry)
{
	if (entry->kind == WF_PROFILE_KIND_MODEL) {
		WfProfileModel *model = (WfProfileModel *)entry;
		model->version_regexes =
			g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
		for (guint i = 0; i < model->version_patterns->len; i++) {
			GRegex *re = g_regex_new(g_ptr_array_index(model->version_patterns, i),
						 G_REGEX_CASELESS,
						 0,
						 NULL);
			if (re != NULL)
				g_ptr_array_add(model->version_regexes, re);
		}
		/* an example that no pattern matches means a broken pattern */
		for (guint i = 0; i < model->version_examples->len; i++) {
			const gchar *example = g_ptr_array_index(model->version_examples, i);
			if (!wf_profile_model_match_version(model, example)) {
				g_autofree gchar *where =
					g_strdup_printf("version_examples[%u]", i);
				wf_parse_problem(ctx,
						 where,
						 "‘%s’ matches none of version_patterns",
						 example);
			}
		}
	}
	if (entry->kind == WF_PROFILE_KIND_LCD || entry->kind == WF_PROFILE_KIND_TOUCH) {
		WfProfileController *controller = (WfProfileController *)entry;
		if (controller->tokens != NULL && controller->tokens->len == 0)
			wf_parse_problem(ctx, "tokens", "needs at least one token");
	}
}

/**
 * wf_profile_entry_parse:
 * @kind: the section the entry is in
 * @object: the entry
 * @file: the file, for problem reports
 * @user: whether it is the user's file
 * @index: position in the section, for problem reports
 * @file_sources: (nullable): the file's "sources" map; every source tag must be in it
 * @problems: (element-type WfProfileProblem): receives every problem found
 *
 * Validates every field of one entry: types, formats, unknown members,
 * regular expressions, source tags.
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL if anything is wrong
 */
WfProfileEntry *
wf_profile_entry_parse(WfProfileKind kind,
		       JsonObject *object,
		       const gchar *file,
		       gboolean user,
		       guint index,
		       JsonObject *file_sources,
		       GPtrArray *problems)
{
	const WfFieldSpec *fields;
	g_autoptr(WfProfileEntry) entry = NULL;
	g_autoptr(GList) members = NULL;
	WfParseCtx ctx = {0};
	JsonNode *id_node;

	g_return_val_if_fail(kind < WF_PROFILE_KIND_LAST, NULL);
	g_return_val_if_fail(object != NULL, NULL);
	g_return_val_if_fail(problems != NULL, NULL);

	fields = wf_profile_kinds[kind].fields;
	ctx.file = file;
	ctx.user = user;
	ctx.file_sources = file_sources;
	ctx.problems = problems;
	id_node = json_object_get_member(object, "id");
	if (id_node != NULL && JSON_NODE_HOLDS_VALUE(id_node) &&
	    json_node_get_value_type(id_node) == G_TYPE_STRING)
		ctx.label = g_strdup_printf("%s[%u] (%s)",
					    wf_profile_kinds[kind].section,
					    index,
					    json_node_get_string(id_node));
	else
		ctx.label = g_strdup_printf("%s[%u]", wf_profile_kinds[kind].section, index);

	entry = g_malloc0(wf_profile_kinds[kind].size);
	entry->kind = kind;
	entry->file = g_strdup(file);
	entry->user = user;
	entry->json = json_object_ref(object);
	wf_profile_entry_init_defaults(entry, fields);

	members = json_object_get_members(object);
	for (GList *m = members; m != NULL; m = m->next) {
		if (wf_profile_find_field(fields, m->data) == NULL)
			wf_parse_problem(&ctx, m->data, "unknown field (typo?)");
	}
	for (const WfFieldSpec *f = fields; f->name != NULL; f++) {
		JsonNode *node = json_object_get_member(object, f->name);
		if (node == NULL) {
			if (f->required)
				wf_parse_problem(&ctx, f->name, "is required");
			continue;
		}
		wf_profile_parse_field(&ctx, entry, f, node);
	}
	if (ctx.n_problems == 0)
		wf_profile_entry_check(&ctx, entry);
	g_free(ctx.label);
	if (ctx.n_problems > 0)
		return NULL;
	return g_steal_pointer(&entry);
}

/**
 * wf_profile_entry_free:
 *
 * Frees an entry of any kind.
 */
void
wf_profile_entry_free(WfProfileEntry *entry)
{
	if (entry == NULL)
		return;
	for (const WfFieldSpec *f = wf_profile_kinds[entry->kind].fields; f->name != NULL; f++) {
		gpointer p;
		if (f->offset == WF_FIELD_JSON_ONLY)
			continue;
		p = G_STRUCT_MEMBER_P(entry, f->offset);
		switch (f->type) {
		case WF_FIELD_ID:
		case WF_FIELD_STRING:
		case WF_FIELD_STRING_NULL:
		case WF_FIELD_DEVICE_TYPE:
		case WF_FIELD_RESOLUTION:
			g_free(*(gchar **)p);
			break;
		case WF_FIELD_STRV:
		case WF_FIELD_IDV:
		case WF_FIELD_REGEXV:
		case WF_FIELD_SOURCES:
		case WF_FIELD_HW_VALUES:
			if (*(GPtrArray **)p != NULL)
				g_ptr_array_unref(*(GPtrArray **)p);
			break;
		case WF_FIELD_SIZES:
			if (*(GArray **)p != NULL)
				g_array_unref(*(GArray **)p);
			break;
		default:
			break;
		}
	}
	if (entry->kind == WF_PROFILE_KIND_MODEL) {
		WfProfileModel *model = (WfProfileModel *)entry;
		if (model->version_regexes != NULL)
			g_ptr_array_unref(model->version_regexes);
	}
	g_free(entry->file);
	g_free(entry->overrides);
	if (entry->json != NULL)
		json_object_unref(entry->json);
	g_free(entry);
}

/**
 * wf_profile_entry_get_title:
 *
 * Returns: (transfer full): a human name: "DZ09 (K91-V1.1 PCB)", "MT6261",
 * "GigaDevice GD25LQ64", "ST7789"
 */
gchar *
wf_profile_entry_get_title(const WfProfileEntry *entry)
{
	g_return_val_if_fail(entry != NULL, NULL);
	switch (entry->kind) {
	case WF_PROFILE_KIND_SOC:
		return g_strdup(((const WfProfileSoc *)entry)->name);
	case WF_PROFILE_KIND_FLASH_PART: {
		const WfProfileFlashPart *part = (const WfProfileFlashPart *)entry;
		const gchar *name = part->part != NULL ? part->part : part->series;
		if (part->vendor != NULL && name != NULL)
			return g_strdup_printf("%s %s", part->vendor, name);
		if (part->vendor != NULL)
			return g_strdup(part->vendor);
		return g_strdup(name != NULL ? name : entry->id);
	}
	case WF_PROFILE_KIND_LCD:
	case WF_PROFILE_KIND_TOUCH: {
		const WfProfileController *c = (const WfProfileController *)entry;
		if (c->part != NULL)
			return g_strdup(c->part);
		return g_strdup_printf("code %s", (const gchar *)g_ptr_array_index(c->tokens, 0));
	}
	case WF_PROFILE_KIND_MODEL: {
		const WfProfileModel *model = (const WfProfileModel *)entry;
		if (model->variant != NULL)
			return g_strdup_printf("%s (%s)", model->name, model->variant);
		return g_strdup(model->name);
	}
	default:
		return g_strdup(entry->id);
	}
}

/**
 * wf_profile_entry_to_json:
 *
 * Returns: (transfer full): the entry as written, plus "kind", "file",
 * "user" and "overrides"
 */
JsonNode *
wf_profile_entry_to_json(const WfProfileEntry *entry)
{
	g_autoptr(GList) members = NULL;
	JsonNode *node;
	JsonObject *copy;

	g_return_val_if_fail(entry != NULL, NULL);
	node = json_node_new(JSON_NODE_OBJECT);
	copy = json_object_new();
	json_object_set_string_member(copy, "kind", wf_profile_kind_to_string(entry->kind));
	members = json_object_get_members(entry->json);
	for (GList *m = members; m != NULL; m = m->next)
		json_object_set_member(
			copy,
			m->data,
			json_node_copy(json_object_get_member(entry->json, m->data)));
	json_object_set_string_member(copy, "file", entry->file);
	json_object_set_boolean_member(copy, "user", entry->user);
	if (entry->overrides != NULL)
		json_object_set_string_member(copy, "overrides", entry->overrides);
	json_node_take_object(node, copy);
	return node;
}

/**
 * wf_profile_model_match_version:
 * @model: a model
 * @text: a VERNO or MAUI bin name
 *
 * Returns: %TRUE if one of the model's version patterns matches @text
 */
gboolean
wf_profile_model_match_version(const WfProfileModel *model, const gchar *text)
{
	g_return_val_if_fail(model != NULL, FALSE);
	if (text == NULL || model->version_regexes == NULL)
		return FALSE;
	for (guint i = 0; i < model->version_regexes->len; i++) {
		if (g_regex_match(g_ptr_array_index(model->version_regexes, i), text, 0, NULL))
			return TRUE;
	}
	return FALSE;
}

gboolean
wf_profile_model_has_flash_size(const WfProfileModel *model, guint64 size)
{
	g_return_val_if_fail(model != NULL, FALSE);
	for (guint i = 0; i < model->flash_sizes->len; i++) {
		if (g_array_index(model->flash_sizes, guint64, i) == size)
			return TRUE;
	}
	return FALSE;
}

/**
 * wf_profile_soc_matches_name:
 * @soc: a SoC
 * @name: "MT6261DA", "mt6260a", "MT6261"
 *
 * Returns: %TRUE if @name is the SoC's name or an alias (case-insensitive)
 */
gboolean
wf_profile_soc_matches_name(const WfProfileSoc *soc, const gchar *name)
{
	g_return_val_if_fail(soc != NULL, FALSE);
	if (name == NULL)
		return FALSE;
	return g_ascii_strcasecmp(soc->name, name) == 0 ||
	       wf_profile_strv_contains(soc->aliases, name);
}

gboolean
wf_profile_controller_has_token(const WfProfileController *controller, const gchar *token)
{
	g_return_val_if_fail(controller != NULL, FALSE);
	return wf_profile_strv_contains(controller->tokens, token);
}
