/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-cfg.h"

#include <string.h>

#include "wf-common.h"
#include "wf-error.h"
#include "wf-scatter.h"

/* deeper than any real cfg (5 levels) but bounded, so the recursive
 * helpers below cannot exhaust the stack on hostile input */
#define WF_CFG_MAX_DEPTH 16

/* indentation beyond this is nonsense and would let one line cost a
 * huge allocation when the tree is written back */
#define WF_CFG_MAX_INDENT 256

typedef struct {
	gchar *alignment;
	GPtrArray *files; /* (element-type utf8) */
	GPtrArray *extra; /* (element-type utf8): unknown keys as text */
	gboolean present;
} WfCfgRegionData;

struct _WfCfg {
	GObject parent_instance;
	gchar *config_version;
	gchar *platform;
	GPtrArray *general_extra;
	WfCfgRegionData regions[WF_CFG_REGION_LAST];
	gboolean has_external_memory;
	gchar *parameters_version;
	GPtrArray *emis;	   /* (element-type WfCfgEmi) */
	GPtrArray *em_extra;	   /* unknown keys of external_memory */
	GPtrArray *extra_sections; /* unknown sections, as text */
};

G_DEFINE_FINAL_TYPE(WfCfg, wf_cfg, G_TYPE_OBJECT)

static const gchar *region_names[WF_CFG_REGION_LAST] = {
	[WF_CFG_REGION_BOOT] = "boot_region",
	[WF_CFG_REGION_CONTROL_BLOCK] = "control_block_region",
	[WF_CFG_REGION_MAIN] = "main_region",
	[WF_CFG_REGION_GPS_MODULE] = "gps_module_region",
	[WF_CFG_REGION_FILE_SYSTEM] = "file_system_region",
};

/* -- one line of the indentation tree ---------------------------------- */

typedef struct _WfCfgNode WfCfgNode;
struct _WfCfgNode {
	guint line;	     /* 1-based, for error messages */
	guint indent;	     /* column of the first character (or of '-') */
	gboolean is_item;    /* "- key: value": children[0] is the inline key… */
	gboolean has_inline; /* …unless the line was a bare "-" */
	gchar *key;	     /* NULL for a bare scalar */
	gchar *value;	     /* never NULL, "" when absent */
	GPtrArray *children; /* (element-type WfCfgNode) */
};

static void
wf_cfg_node_free(gpointer data)
{
	WfCfgNode *node = data;
	if (node == NULL)
		return;
	g_free(node->key);
	g_free(node->value);
	g_ptr_array_unref(node->children);
	g_free(node);
}

static WfCfgNode *
wf_cfg_node_new(guint line, guint indent)
{
	WfCfgNode *node = g_new0(WfCfgNode, 1);
	node->line = line;
	node->indent = indent;
	node->children = g_ptr_array_new_with_free_func(wf_cfg_node_free);
	return node;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfCfgNode, wf_cfg_node_free)

/* -- WfCfgEmi ------------------------------------------------------------ */

/**
 * wf_cfg_emi_new:
 *
 * Returns: (transfer full): an empty external-memory entry
 */
WfCfgEmi *
wf_cfg_emi_new(void)
{
	WfCfgEmi *emi = g_new0(WfCfgEmi, 1);
	emi->extra = g_ptr_array_new_with_free_func(g_free);
	return emi;
}

static GPtrArray *
wf_cfg_strv_array_copy(GPtrArray *src)
{
	GPtrArray *dst = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; src != NULL && i < src->len; i++)
		g_ptr_array_add(dst, g_strdup(g_ptr_array_index(src, i)));
	return dst;
}

/**
 * wf_cfg_emi_copy:
 * @emi: an entry
 *
 * Returns: (transfer full): a deep copy
 */
WfCfgEmi *
wf_cfg_emi_copy(const WfCfgEmi *emi)
{
	WfCfgEmi *copy;
	g_return_val_if_fail(emi != NULL, NULL);
	copy = g_new0(WfCfgEmi, 1);
	copy->flash_type = g_strdup(emi->flash_type);
	copy->id_length = emi->id_length;
	memcpy(copy->flash_id, emi->flash_id, sizeof(copy->flash_id));
	copy->memory_type = g_strdup(emi->memory_type);
	copy->emi_setting = g_strdup(emi->emi_setting);
	copy->extra = wf_cfg_strv_array_copy(emi->extra);
	return copy;
}

void
wf_cfg_emi_free(WfCfgEmi *emi)
{
	if (emi == NULL)
		return;
	g_free(emi->flash_type);
	g_free(emi->memory_type);
	g_free(emi->emi_setting);
	if (emi->extra != NULL)
		g_ptr_array_unref(emi->extra);
	g_free(emi);
}

/* -- object ------------------------------------------------------------- */

static void
wf_cfg_reset(WfCfg *self)
{
	g_clear_pointer(&self->config_version, g_free);
	g_clear_pointer(&self->platform, g_free);
	g_ptr_array_set_size(self->general_extra, 0);
	for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
		g_clear_pointer(&self->regions[i].alignment, g_free);
		g_ptr_array_set_size(self->regions[i].files, 0);
		g_ptr_array_set_size(self->regions[i].extra, 0);
		self->regions[i].present = FALSE;
	}
	self->has_external_memory = FALSE;
	g_clear_pointer(&self->parameters_version, g_free);
	g_ptr_array_set_size(self->emis, 0);
	g_ptr_array_set_size(self->em_extra, 0);
	g_ptr_array_set_size(self->extra_sections, 0);
}

static void
wf_cfg_finalize(GObject *object)
{
	WfCfg *self = WF_CFG(object);
	g_free(self->config_version);
	g_free(self->platform);
	g_ptr_array_unref(self->general_extra);
	for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
		g_free(self->regions[i].alignment);
		g_ptr_array_unref(self->regions[i].files);
		g_ptr_array_unref(self->regions[i].extra);
	}
	g_free(self->parameters_version);
	g_ptr_array_unref(self->emis);
	g_ptr_array_unref(self->em_extra);
	g_ptr_array_unref(self->extra_sections);
	G_OBJECT_CLASS(wf_cfg_parent_class)->finalize(object);
}

static void
wf_cfg_class_init(WfCfgClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_cfg_finalize;
}

static void
wf_cfg_init(WfCfg *self)
{
	self->general_extra = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
		self->regions[i].files = g_ptr_array_new_with_free_func(g_free);
		self->regions[i].extra = g_ptr_array_new_with_free_func(g_free);
	}
	self->emis = g_ptr_array_new_with_free_func((GDestroyNotify)wf_cfg_emi_free);
	self->em_extra = g_ptr_array_new_with_free_func(g_free);
	self->extra_sections = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_cfg_new:
 *
 * Returns: (transfer full): an empty config (config_version "alpha"), e.g. to
 * build one for a split dump
 */
WfCfg *
wf_cfg_new(void)
{
	WfCfg *self = g_object_new(WF_TYPE_CFG, NULL);
	/* what cfgGen writes; a parse replaces it with what the file says */
	self->config_version = g_strdup("alpha");
	return self;
}

/**
 * wf_cfg_region_to_string:
 * @region: a #WfCfgRegion
 *
 * Returns: the section name used in the file, e.g. "boot_region"
 */
const gchar *
wf_cfg_region_to_string(WfCfgRegion region)
{
	if ((guint)region >= WF_CFG_REGION_LAST)
		return NULL;
	return region_names[region];
}

/* -- lexing: text to tree ---------------------------------------------- */

/* '#' starts a comment at the start of the content or after blanks; a '#'
 * glued to a word ("a#b") stays, file names may contain one */
static gsize
wf_cfg_strip_comment(const gchar *line, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
			return i;
	}
	return len;
}

/* a "key: value" or "key : value" pair; the key may not be empty */
static gboolean
wf_cfg_split_key_value(const gchar *text, gchar **key, gchar **value)
{
	const gchar *colon = strchr(text, ':');
	g_autofree gchar *k = NULL;
	if (colon == NULL)
		return FALSE;
	k = g_strstrip(g_strndup(text, colon - text));
	if (k[0] == '\0')
		return FALSE;
	*key = g_steal_pointer(&k);
	/* "key:# note" is a key with a comment, as the writer would read it
	 * back once it adds the space after the colon */
	*value = g_strstrip(g_strdup(colon + 1));
	if ((*value)[0] == '#')
		(*value)[0] = '\0';
	return TRUE;
}

static void
wf_cfg_node_set_text(WfCfgNode *node, const gchar *text)
{
	if (!wf_cfg_split_key_value(text, &node->key, &node->value))
		node->value = g_strstrip(g_strdup(text));
}

static gboolean
wf_cfg_is_section_name(const gchar *key)
{
	if (g_strcmp0(key, "general") == 0 || g_strcmp0(key, "external_memory") == 0)
		return TRUE;
	for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
		if (g_strcmp0(key, region_names[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

typedef struct {
	WfCfgNode *node;
	guint indent;
} WfCfgStackEntry;

static gboolean
wf_cfg_tree_add_line(WfCfgNode *root,
		     GArray *stack,
		     guint lineno,
		     guint indent,
		     const gchar *text,
		     GError **error)
{
	WfCfgNode *parent;
	WfCfgNode *node;
	gboolean is_item = text[0] == '-' && (text[1] == '\0' || text[1] == ' ' || text[1] == '\t');

	if (indent > WF_CFG_MAX_INDENT) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: indented by %u columns, more than %u",
			    lineno,
			    indent,
			    (guint)WF_CFG_MAX_INDENT);
		return FALSE;
	}

	/* a known section name always starts a new top-level section, however
	 * it is indented: hand-edited cfgs are sloppy about it */
	if (!is_item) {
		g_autofree gchar *key = NULL;
		g_autofree gchar *value = NULL;
		if (wf_cfg_split_key_value(text, &key, &value) && wf_cfg_is_section_name(key))
			g_array_set_size(stack, 1);
	}
	while (stack->len > 1 &&
	       g_array_index(stack, WfCfgStackEntry, stack->len - 1).indent >= indent)
		g_array_set_size(stack, stack->len - 1);
	if (stack->len >= WF_CFG_MAX_DEPTH) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: nested deeper than %u levels",
			    lineno,
			    (guint)WF_CFG_MAX_DEPTH);
		return FALSE;
	}
	parent = g_array_index(stack, WfCfgStackEntry, stack->len - 1).node;
	node = wf_cfg_node_new(lineno, indent);
	g_ptr_array_add(parent->children, node);

	if (is_item) {
		WfCfgStackEntry entry = {node, indent};
		WfCfgNode *inline_node;
		const gchar *rest = text + 1;
		guint key_indent = indent + 1;
		while (*rest == ' ' || *rest == '\t') {
			rest++;
			key_indent++;
		}
		node->is_item = TRUE;
		node->value = g_strdup("");
		g_array_append_val(stack, entry);
		if (*rest == '\0')
			return TRUE;
		/* the inline key sits at its own column: deeper lines are its
		 * children, lines between the dash and that column are siblings */
		inline_node = wf_cfg_node_new(lineno, key_indent);
		wf_cfg_node_set_text(inline_node, rest);
		g_ptr_array_add(node->children, inline_node);
		node->has_inline = TRUE;
		entry.node = inline_node;
		entry.indent = key_indent;
		g_array_append_val(stack, entry);
		return TRUE;
	}

	wf_cfg_node_set_text(node, text);
	{
		WfCfgStackEntry entry = {node, indent};
		g_array_append_val(stack, entry);
	}
	return TRUE;
}

static gboolean
wf_cfg_check_line(const gchar *line, gsize len, guint lineno, GError **error)
{
	if (memchr(line, '\0', len) != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: contains a NUL byte; this is a binary file, not a .cfg",
			    lineno);
		return FALSE;
	}
	if (!g_utf8_validate(line, len, NULL)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: not valid UTF-8 text (file names must be UTF-8)",
			    lineno);
		return FALSE;
	}
	/* tabs indent; any other control character means this is not a
	 * hand-edited text file (and would end up in file names) */
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: contains control character 0x%02X",
				    lineno,
				    c);
			return FALSE;
		}
	}
	return TRUE;
}

static WfCfgNode *
wf_cfg_build_tree(const gchar *data, gsize size, GError **error)
{
	g_autoptr(WfCfgNode) root = wf_cfg_node_new(0, 0);
	g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(WfCfgStackEntry));
	WfCfgStackEntry top = {root, 0};
	const gchar *line = NULL;
	gsize len = 0;
	gsize pos;
	guint lineno = 0;

	g_array_append_val(stack, top);
	pos = wf_common_skip_bom(data, size);
	while (wf_common_next_line(data, size, &pos, &line, &len)) {
		guint indent = 0;
		gsize i = 0;
		g_autofree gchar *text = NULL;

		lineno++;
		len = wf_cfg_strip_comment(line, len);
		while (len > 0 && g_ascii_isspace(line[len - 1]))
			len--;
		if (!wf_cfg_check_line(line, len, lineno, error))
			return NULL;
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			indent = line[i] == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
		if (i == len)
			continue;
		text = g_strndup(line + i, len - i);
		if (!wf_cfg_tree_add_line(root, stack, lineno, indent, text, error))
			return NULL;
	}
	return g_steal_pointer(&root);
}

/* -- writing a node back as text (for keys we do not interpret) --------- */

static void
wf_cfg_node_write(WfCfgNode *node, guint indent, GString *str);

static void
wf_cfg_node_write_pair(WfCfgNode *node, GString *str)
{
	if (node->key == NULL) {
		g_string_append(str, node->value);
	} else if (node->value[0] == '\0') {
		g_string_append_printf(str, "%s:", node->key);
	} else {
		g_string_append_printf(str, "%s: %s", node->key, node->value);
	}
	g_string_append_c(str, '\n');
}

static void
wf_cfg_node_write(WfCfgNode *node, guint indent, GString *str)
{
	WfCfgNode *inline_node;

	for (guint i = 0; i < indent; i++)
		g_string_append_c(str, ' ');
	if (node->is_item && !node->has_inline) {
		/* a bare "-" whose content is on the following, deeper lines */
		g_string_append(str, "-\n");
		for (guint i = 0; i < node->children->len; i++)
			wf_cfg_node_write(g_ptr_array_index(node->children, i), indent + 2, str);
		return;
	}
	if (node->is_item) {
		/* "- key: value", the key's own children deeper than the key,
		 * the item's other keys aligned with it */
		inline_node = g_ptr_array_index(node->children, 0);
		g_string_append(str, "- ");
		wf_cfg_node_write_pair(inline_node, str);
		for (guint i = 0; i < inline_node->children->len; i++)
			wf_cfg_node_write(
				g_ptr_array_index(inline_node->children, i), indent + 6, str);
		for (guint i = 1; i < node->children->len; i++)
			wf_cfg_node_write(g_ptr_array_index(node->children, i), indent + 2, str);
		return;
	}
	wf_cfg_node_write_pair(node, str);
	for (guint i = 0; i < node->children->len; i++)
		wf_cfg_node_write(g_ptr_array_index(node->children, i), indent + 4, str);
}

static gchar *
wf_cfg_node_to_text(WfCfgNode *node)
{
	GString *str = g_string_new(NULL);
	wf_cfg_node_write(node, 0, str);
	if (str->len > 0 && str->str[str->len - 1] == '\n')
		g_string_truncate(str, str->len - 1);
	return g_string_free(str, FALSE);
}

/* prefixes every line of a multi-line block with @indent spaces */
static void
wf_cfg_append_block(GString *str, const gchar *block, guint indent)
{
	g_auto(GStrv) lines = g_strsplit(block, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		for (guint j = 0; j < indent; j++)
			g_string_append_c(str, ' ');
		g_string_append_printf(str, "%s\n", lines[i]);
	}
}

/* -- interpreting the tree --------------------------------------------- */

static gboolean
wf_cfg_expect_no_value(WfCfgNode *node, GError **error)
{
	if (node->value[0] != '\0') {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: ‘%s:’ takes no value, got ‘%s’",
			    node->line,
			    node->key,
			    node->value);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_cfg_expect_leaf(WfCfgNode *node, GError **error)
{
	if (node->children->len > 0) {
		WfCfgNode *child = g_ptr_array_index(node->children, 0);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: unexpected nested line under ‘%s:’",
			    child->line,
			    node->key);
		return FALSE;
	}
	return TRUE;
}

/* stores a single-valued key once; a second occurrence is an error
 * because we could not tell which one SP Flash Tool would use */
static gboolean
wf_cfg_take_scalar(gchar **dest, WfCfgNode *node, const gchar *section, GError **error)
{
	if (!wf_cfg_expect_leaf(node, error))
		return FALSE;
	if (*dest != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: second ‘%s:’ in ‘%s:’",
			    node->line,
			    node->key,
			    section);
		return FALSE;
	}
	*dest = g_strdup(node->value);
	return TRUE;
}

/* every child of a mapping section is ‘key: value’, never a ‘- item’ */
static gboolean
wf_cfg_expect_key(const WfCfgNode *node,
		  const gchar *expected,
		  const gchar *section,
		  GError **error)
{
	if (!node->is_item && node->key != NULL)
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "line %u: expected %s under ‘%s:’",
		    node->line,
		    expected,
		    section);
	return FALSE;
}

static gboolean
wf_cfg_parse_general(WfCfg *self, WfCfgNode *section, GError **error)
{
	for (guint i = 0; i < section->children->len; i++) {
		WfCfgNode *node = g_ptr_array_index(section->children, i);
		if (!wf_cfg_expect_key(node, "‘key: value’", "general", error))
			return FALSE;
		if (g_strcmp0(node->key, "config_version") == 0) {
			if (!wf_cfg_take_scalar(&self->config_version, node, "general", error))
				return FALSE;
		} else if (g_strcmp0(node->key, "platform") == 0) {
			if (!wf_cfg_take_scalar(&self->platform, node, "general", error))
				return FALSE;
		} else {
			g_ptr_array_add(self->general_extra, wf_cfg_node_to_text(node));
		}
	}
	return TRUE;
}

static gboolean
wf_cfg_parse_rom_list(WfCfgRegionData *region, WfCfgNode *rom, GError **error)
{
	if (!wf_cfg_expect_no_value(rom, error))
		return FALSE;
	for (guint i = 0; i < rom->children->len; i++) {
		WfCfgNode *item = g_ptr_array_index(rom->children, i);
		WfCfgNode *file;
		if (!item->is_item || item->children->len == 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: expected ‘- file:’ under ‘rom:’",
				    item->line);
			return FALSE;
		}
		file = g_ptr_array_index(item->children, 0);
		if (g_strcmp0(file->key, "file") != 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: expected ‘- file:’ under ‘rom:’",
				    item->line);
			return FALSE;
		}
		if (file->value[0] == '\0') {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: ‘- file:’ without a file name",
				    item->line);
			return FALSE;
		}
		if (item->children->len > 1 || file->children->len > 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: unexpected nested line under ‘- file: %s’",
				    item->line + 1,
				    file->value);
			return FALSE;
		}
		g_ptr_array_add(region->files, g_strdup(file->value));
	}
	return TRUE;
}

static gboolean
wf_cfg_parse_region(WfCfg *self, WfCfgRegion id, WfCfgNode *section, GError **error)
{
	WfCfgRegionData *region = &self->regions[id];
	gboolean seen_rom = FALSE;

	region->present = TRUE;
	for (guint i = 0; i < section->children->len; i++) {
		WfCfgNode *node = g_ptr_array_index(section->children, i);
		if (!wf_cfg_expect_key(node, "‘alignment:’ or ‘rom:’", region_names[id], error))
			return FALSE;
		if (g_strcmp0(node->key, "alignment") == 0) {
			if (!wf_cfg_take_scalar(&region->alignment, node, region_names[id], error))
				return FALSE;
		} else if (g_strcmp0(node->key, "rom") == 0) {
			if (seen_rom) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: second ‘rom:’ in ‘%s:’",
					    node->line,
					    region_names[id]);
				return FALSE;
			}
			seen_rom = TRUE;
			if (!wf_cfg_parse_rom_list(region, node, error))
				return FALSE;
		} else {
			g_ptr_array_add(region->extra, wf_cfg_node_to_text(node));
		}
	}
	return TRUE;
}

static gboolean
wf_cfg_parse_uint(const gchar *text, guint64 max, guint64 *value)
{
	guint base = 10;
	const gchar *digits = text;
	gchar *end = NULL;
	guint64 v;

	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X")) {
		base = 16;
		digits = text + 2;
	}
	if (!g_ascii_isxdigit(digits[0]))
		return FALSE;
	errno = 0;
	v = g_ascii_strtoull(digits, &end, base);
	if (errno != 0 || end == digits || *end != '\0' || v > max)
		return FALSE;
	*value = v;
	return TRUE;
}

static gboolean
wf_cfg_parse_flash_id(WfCfgEmi *emi, WfCfgNode *node, guint *count, GError **error)
{
	gsize len = strlen(node->value);
	g_autofree gchar *inner = NULL;
	g_auto(GStrv) parts = NULL;

	if (len < 2 || node->value[0] != '[' || node->value[len - 1] != ']') {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected ‘flash_id: [0x.., …]’, got ‘%s’",
			    node->line,
			    node->value);
		return FALSE;
	}
	inner = g_strndup(node->value + 1, len - 2);
	parts = g_strsplit(inner, ",", -1);
	*count = 0;
	for (guint i = 0; parts[i] != NULL; i++) {
		guint64 v = 0;
		g_strstrip(parts[i]);
		if (parts[i][0] == '\0' && parts[i + 1] == NULL && i > 0)
			break; /* a trailing comma */
		if (i >= G_N_ELEMENTS(emi->flash_id)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: flash_id has more than %u bytes",
				    node->line,
				    (guint)G_N_ELEMENTS(emi->flash_id));
			return FALSE;
		}
		if (!wf_cfg_parse_uint(parts[i], 0xFF, &v)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: flash_id byte %u ‘%s’ is not a number from 0 to 0xFF",
				    node->line,
				    i + 1,
				    parts[i]);
			return FALSE;
		}
		emi->flash_id[i] = (guint8)v;
		(*count)++;
	}
	if (*count == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: flash_id lists no bytes",
			    node->line);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_cfg_parse_flash_info(WfCfgEmi *emi,
			WfCfgNode *flash_info,
			gboolean *has_id_length,
			GError **error)
{
	gboolean seen_id = FALSE;
	if (!wf_cfg_expect_no_value(flash_info, error))
		return FALSE;
	for (guint i = 0; i < flash_info->children->len; i++) {
		WfCfgNode *node = g_ptr_array_index(flash_info->children, i);
		if (!wf_cfg_expect_key(node, "‘key: value’", "flash_info", error))
			return FALSE;
		if (g_strcmp0(node->key, "flash_type") == 0) {
			if (!wf_cfg_take_scalar(&emi->flash_type, node, "flash_info", error))
				return FALSE;
		} else if (g_strcmp0(node->key, "id_length") == 0) {
			guint64 v = 0;
			if (!wf_cfg_expect_leaf(node, error))
				return FALSE;
			if (!wf_cfg_parse_uint(node->value, G_N_ELEMENTS(emi->flash_id), &v)) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: id_length ‘%s’ is not a number from 0 to %u",
					    node->line,
					    node->value,
					    (guint)G_N_ELEMENTS(emi->flash_id));
				return FALSE;
			}
			emi->id_length = (guint)v;
			*has_id_length = TRUE;
		} else if (g_strcmp0(node->key, "flash_id") == 0) {
			guint count = 0;
			if (seen_id) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: second ‘flash_id:’ in ‘flash_info:’",
					    node->line);
				return FALSE;
			}
			if (!wf_cfg_expect_leaf(node, error))
				return FALSE;
			if (!wf_cfg_parse_flash_id(emi, node, &count, error))
				return FALSE;
			seen_id = TRUE;
		} else {
			/* kept one level up: the writer has a single place for extras */
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_NOT_SUPPORTED,
				    "line %u: unknown key ‘%s:’ in ‘flash_info:’",
				    node->line,
				    node->key);
			return FALSE;
		}
	}
	if (!seen_id) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: ‘flash_info:’ without ‘flash_id:’",
			    flash_info->line);
		return FALSE;
	}
	return TRUE;
}

/* EMI_Setting is empty on MT6260/61, register lines on older chips:
 * keep the inline value as the first line and nested lines after it */
static gchar *
wf_cfg_node_body_text(WfCfgNode *node)
{
	GString *str = g_string_new(node->value);
	for (guint i = 0; i < node->children->len; i++) {
		g_autofree gchar *child = wf_cfg_node_to_text(g_ptr_array_index(node->children, i));
		g_string_append_printf(str, "\n%s", child);
	}
	return g_string_free(str, FALSE);
}

static gboolean
wf_cfg_parse_emi(WfCfg *self, WfCfgNode *item, GError **error)
{
	g_autoptr(WfCfgEmi) emi = wf_cfg_emi_new();
	WfCfgNode *flash_info;
	gboolean has_id_length = FALSE;

	if (!item->is_item || item->children->len == 0 ||
	    g_strcmp0(((WfCfgNode *)g_ptr_array_index(item->children, 0))->key, "flash_info") !=
		    0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected ‘- flash_info:’ under ‘parameters:’",
			    item->line);
		return FALSE;
	}
	flash_info = g_ptr_array_index(item->children, 0);
	if (!wf_cfg_parse_flash_info(emi, flash_info, &has_id_length, error))
		return FALSE;
	for (guint i = 1; i < item->children->len; i++) {
		WfCfgNode *node = g_ptr_array_index(item->children, i);
		if (node->is_item || node->key == NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: expected ‘memory_type:’ or ‘EMI_Setting:’ in a "
				    "‘- flash_info:’ entry",
				    node->line);
			return FALSE;
		}
		if (g_strcmp0(node->key, "memory_type") == 0) {
			if (!wf_cfg_take_scalar(&emi->memory_type, node, "- flash_info", error))
				return FALSE;
		} else if (g_strcmp0(node->key, "EMI_Setting") == 0) {
			if (emi->emi_setting != NULL) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: second ‘EMI_Setting:’ in one entry",
					    node->line);
				return FALSE;
			}
			emi->emi_setting = wf_cfg_node_body_text(node);
		} else {
			g_ptr_array_add(emi->extra, wf_cfg_node_to_text(node));
		}
	}
	/* without id_length, count up to the last non-zero byte */
	if (!has_id_length) {
		emi->id_length = 0;
		for (guint i = 0; i < G_N_ELEMENTS(emi->flash_id); i++) {
			if (emi->flash_id[i] != 0)
				emi->id_length = i + 1;
		}
	}
	g_ptr_array_add(self->emis, g_steal_pointer(&emi));
	return TRUE;
}

static gboolean
wf_cfg_parse_external_memory(WfCfg *self, WfCfgNode *section, GError **error)
{
	gboolean seen_parameters = FALSE;

	self->has_external_memory = TRUE;
	for (guint i = 0; i < section->children->len; i++) {
		WfCfgNode *node = g_ptr_array_index(section->children, i);
		if (!wf_cfg_expect_key(node,
				       "‘parameters_version:’ or ‘parameters:’",
				       "external_memory",
				       error))
			return FALSE;
		if (g_strcmp0(node->key, "parameters_version") == 0) {
			if (!wf_cfg_take_scalar(
				    &self->parameters_version, node, "external_memory", error))
				return FALSE;
		} else if (g_strcmp0(node->key, "parameters") == 0) {
			if (seen_parameters) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: second ‘parameters:’ in ‘external_memory:’",
					    node->line);
				return FALSE;
			}
			seen_parameters = TRUE;
			if (!wf_cfg_expect_no_value(node, error))
				return FALSE;
			for (guint j = 0; j < node->children->len; j++) {
				if (!wf_cfg_parse_emi(
					    self, g_ptr_array_index(node->children, j), error))
					return FALSE;
			}
		} else {
			g_ptr_array_add(self->em_extra, wf_cfg_node_to_text(node));
		}
	}
	return TRUE;
}

static gboolean
wf_cfg_parse_section(WfCfg *self, WfCfgNode *section, guint *seen, GError **error)
{
	/* bit per known section: 0 general, 1..5 regions, 6 external_memory */
	guint bit = 0;

	if (section->is_item || section->key == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected a section such as ‘general:’ or ‘boot_region:’",
			    section->line);
		return FALSE;
	}
	if (g_strcmp0(section->key, "general") == 0) {
		bit = 1;
	} else if (g_strcmp0(section->key, "external_memory") == 0) {
		bit = 1 << 6;
	} else {
		for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
			if (g_strcmp0(section->key, region_names[i]) == 0)
				bit = 1 << (i + 1);
		}
	}
	if (bit == 0) {
		/* linux_region and friends: not for watches, but keep them */
		g_ptr_array_add(self->extra_sections, wf_cfg_node_to_text(section));
		return TRUE;
	}
	if (*seen & bit) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: second ‘%s:’ section",
			    section->line,
			    section->key);
		return FALSE;
	}
	*seen |= bit;
	if (!wf_cfg_expect_no_value(section, error))
		return FALSE;
	if (bit == 1)
		return wf_cfg_parse_general(self, section, error);
	if (bit == 1 << 6)
		return wf_cfg_parse_external_memory(self, section, error);
	for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
		if (bit == 1u << (i + 1))
			return wf_cfg_parse_region(self, i, section, error);
	}
	return TRUE;
}

/**
 * wf_cfg_parse:
 * @self: a #WfCfg
 * @blob: the file contents
 * @error: (nullable): return location
 *
 * Parses a SP Flash Tool .cfg leniently: LF or CRLF, any indentation, `#`
 * comments, `key : value` spacing, any subset of the optional sections.
 * Unknown keys and sections are kept and written back by
 * wf_cfg_to_string(). An Android scatter file is refused with
 * %WF_ERROR_NOT_SUPPORTED.
 *
 * Returns: %TRUE on success; on failure @self is left empty
 */
gboolean
wf_cfg_parse(WfCfg *self, GBytes *blob, GError **error)
{
	gsize size = 0;
	const gchar *data;
	g_autoptr(WfCfgNode) root = NULL;
	guint seen = 0;

	g_return_val_if_fail(WF_IS_CFG(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_cfg_reset(self);
	data = g_bytes_get_data(blob, &size);
	if (size > WF_CFG_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%" G_GSIZE_FORMAT " bytes is too large for a .cfg (limit %u)",
			    size,
			    (guint)WF_CFG_MAX_SIZE);
		return FALSE;
	}
	if (wf_config_file_detect(blob) == WF_CONFIG_FILE_ANDROID_SCATTER) {
		wf_scatter_set_android_error(error);
		return FALSE;
	}
	root = wf_cfg_build_tree(data, size, error);
	if (root == NULL)
		return FALSE;
	for (guint i = 0; i < root->children->len; i++) {
		if (!wf_cfg_parse_section(
			    self, g_ptr_array_index(root->children, i), &seen, error)) {
			wf_cfg_reset(self);
			return FALSE;
		}
	}
	if ((seen & 1) == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "not a SP Flash Tool .cfg: no ‘general:’ section");
		wf_cfg_reset(self);
		return FALSE;
	}
	if (self->platform == NULL || self->platform[0] == '\0') {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "no ‘platform:’ in ‘general:’");
		wf_cfg_reset(self);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_cfg_new_from_bytes:
 * @blob: the file contents
 * @error: (nullable): return location
 *
 * Returns: (transfer full): a parsed config, or %NULL
 */
WfCfg *
wf_cfg_new_from_bytes(GBytes *blob, GError **error)
{
	g_autoptr(WfCfg) self = wf_cfg_new();
	g_return_val_if_fail(blob != NULL, NULL);
	if (!wf_cfg_parse(self, blob, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * wf_cfg_new_from_file:
 * @filename: a path
 * @error: (nullable): return location
 *
 * Returns: (transfer full): a parsed config, or %NULL; errors are prefixed
 * with the file name
 */
WfCfg *
wf_cfg_new_from_file(const gchar *filename, GError **error)
{
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error_local = NULL;
	WfCfg *self;

	g_return_val_if_fail(filename != NULL, NULL);
	mapped = g_mapped_file_new(filename, FALSE, &error_local);
	if (mapped == NULL) {
		wf_common_set_file_error(error, error_local);
		return NULL;
	}
	blob = g_mapped_file_get_bytes(mapped);
	self = wf_cfg_new_from_bytes(blob, &error_local);
	if (self == NULL) {
		g_set_error(error,
			    error_local->domain,
			    error_local->code,
			    "%s: %s",
			    filename,
			    error_local->message);
		return NULL;
	}
	return self;
}

/* -- accessors ----------------------------------------------------------- */

/**
 * wf_cfg_get_config_version:
 * @self: a #WfCfg
 *
 * Returns: (nullable): e.g. "alpha"
 */
const gchar *
wf_cfg_get_config_version(WfCfg *self)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	return self->config_version;
}

void
wf_cfg_set_config_version(WfCfg *self, const gchar *config_version)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_free(self->config_version);
	self->config_version = g_strdup(config_version);
}

/**
 * wf_cfg_get_platform:
 * @self: a #WfCfg
 *
 * Returns: (nullable): e.g. "MT6261", "MT6260A"
 */
const gchar *
wf_cfg_get_platform(WfCfg *self)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	return self->platform;
}

void
wf_cfg_set_platform(WfCfg *self, const gchar *platform)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_free(self->platform);
	self->platform = g_strdup(platform);
}

/**
 * wf_cfg_has_region:
 * @self: a #WfCfg
 * @region: a #WfCfgRegion
 *
 * Returns: %TRUE if the section is in the file (it may list no files)
 */
gboolean
wf_cfg_has_region(WfCfg *self, WfCfgRegion region)
{
	g_return_val_if_fail(WF_IS_CFG(self), FALSE);
	g_return_val_if_fail((guint)region < WF_CFG_REGION_LAST, FALSE);
	return self->regions[region].present;
}

void
wf_cfg_set_has_region(WfCfg *self, WfCfgRegion region, gboolean present)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_return_if_fail((guint)region < WF_CFG_REGION_LAST);
	self->regions[region].present = present;
}

/**
 * wf_cfg_get_alignment:
 * @self: a #WfCfg
 * @region: a #WfCfgRegion
 *
 * Returns: (nullable): "block" or "page", as written
 */
const gchar *
wf_cfg_get_alignment(WfCfg *self, WfCfgRegion region)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	g_return_val_if_fail((guint)region < WF_CFG_REGION_LAST, NULL);
	return self->regions[region].alignment;
}

void
wf_cfg_set_alignment(WfCfg *self, WfCfgRegion region, const gchar *alignment)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_return_if_fail((guint)region < WF_CFG_REGION_LAST);
	g_free(self->regions[region].alignment);
	self->regions[region].alignment = g_strdup(alignment);
	self->regions[region].present = TRUE;
}

/**
 * wf_cfg_get_files:
 * @self: a #WfCfg
 * @region: a #WfCfgRegion
 *
 * Returns: (transfer none) (element-type utf8): the file names as written
 * (relative to the cfg folder, `\` or `/` separated), in download order
 */
GPtrArray *
wf_cfg_get_files(WfCfg *self, WfCfgRegion region)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	g_return_val_if_fail((guint)region < WF_CFG_REGION_LAST, NULL);
	return self->regions[region].files;
}

void
wf_cfg_add_file(WfCfg *self, WfCfgRegion region, const gchar *file)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_return_if_fail((guint)region < WF_CFG_REGION_LAST);
	g_return_if_fail(file != NULL && file[0] != '\0');
	g_ptr_array_add(self->regions[region].files, g_strdup(file));
	self->regions[region].present = TRUE;
}

void
wf_cfg_clear_files(WfCfg *self, WfCfgRegion region)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_return_if_fail((guint)region < WF_CFG_REGION_LAST);
	g_ptr_array_set_size(self->regions[region].files, 0);
}

/**
 * wf_cfg_file_to_unix_path:
 * @file: a file name from wf_cfg_get_files()
 *
 * Windows-made cfgs use `bin\Release\DZ09.bin`.
 *
 * Returns: (transfer full): the name with `/` separators
 */
gchar *
wf_cfg_file_to_unix_path(const gchar *file)
{
	gchar *path;
	g_return_val_if_fail(file != NULL, NULL);
	path = g_strdup(file);
	g_strdelimit(path, "\\", '/');
	return path;
}

/**
 * wf_cfg_has_external_memory:
 * @self: a #WfCfg
 *
 * Returns: %TRUE if the file has an `external_memory:` section
 */
gboolean
wf_cfg_has_external_memory(WfCfg *self)
{
	g_return_val_if_fail(WF_IS_CFG(self), FALSE);
	return self->has_external_memory;
}

/**
 * wf_cfg_get_parameters_version:
 * @self: a #WfCfg
 *
 * Returns: (nullable): e.g. "v1"
 */
const gchar *
wf_cfg_get_parameters_version(WfCfg *self)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	return self->parameters_version;
}

void
wf_cfg_set_parameters_version(WfCfg *self, const gchar *parameters_version)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_free(self->parameters_version);
	self->parameters_version = g_strdup(parameters_version);
	self->has_external_memory = TRUE;
}

/**
 * wf_cfg_get_emis:
 * @self: a #WfCfg
 *
 * Returns: (transfer none) (element-type WfCfgEmi): the supported flash chips
 */
GPtrArray *
wf_cfg_get_emis(WfCfg *self)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	return self->emis;
}

void
wf_cfg_add_emi(WfCfg *self, const WfCfgEmi *emi)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_return_if_fail(emi != NULL);
	g_return_if_fail(emi->id_length <= G_N_ELEMENTS(emi->flash_id));
	g_ptr_array_add(self->emis, wf_cfg_emi_copy(emi));
	self->has_external_memory = TRUE;
}

void
wf_cfg_clear_emis(WfCfg *self)
{
	g_return_if_fail(WF_IS_CFG(self));
	g_ptr_array_set_size(self->emis, 0);
}

/**
 * wf_cfg_get_extra_sections:
 * @self: a #WfCfg
 *
 * Returns: (transfer none) (element-type utf8): unknown sections (e.g.
 * `linux_region`) as normalised text, written back unchanged
 */
GPtrArray *
wf_cfg_get_extra_sections(WfCfg *self)
{
	g_return_val_if_fail(WF_IS_CFG(self), NULL);
	return self->extra_sections;
}

/* -- writer -------------------------------------------------------------- */

static void
wf_cfg_write_banner(GString *str, const gchar *title)
{
	g_string_append(str, "##########################################################\n");
	g_string_append_printf(str, "#  %s\n", title);
	g_string_append(str, "##########################################################\n\n");
}

static void
wf_cfg_write_extras(GString *str, GPtrArray *extra, guint indent)
{
	for (guint i = 0; i < extra->len; i++)
		wf_cfg_append_block(str, g_ptr_array_index(extra, i), indent);
}

static void
wf_cfg_write_region(WfCfg *self, WfCfgRegion id, GString *str)
{
	WfCfgRegionData *region = &self->regions[id];
	static const gchar *titles[WF_CFG_REGION_LAST] = {
		"Boot Region Setting",
		"Control Block Region Setting",
		"Main Region Setting",
		"GPS Region Setting",
		"File System Region Setting",
	};

	if (!region->present)
		return;
	wf_cfg_write_banner(str, titles[id]);
	g_string_append_printf(str, "%s:\n", region_names[id]);
	if (region->alignment != NULL) {
		g_string_append_printf(str,
				       "  alignment: %s # block[default], page(NAND:2K/512B, NOR: "
				       "1KB, eMMC: 512B, SF: 256B)\n",
				       region->alignment);
	}
	g_string_append(str, "  rom:\n");
	for (guint i = 0; i < region->files->len; i++)
		g_string_append_printf(str,
				       "    - file: %s\n",
				       (const gchar *)g_ptr_array_index(region->files, i));
	wf_cfg_write_extras(str, region->extra, 2);
	g_string_append_c(str, '\n');
}

static void
wf_cfg_write_emi(WfCfgEmi *emi, guint n, GString *str)
{
	g_string_append_printf(str, "       # EMI %u\n", n);
	g_string_append(str, "      - flash_info:\n");
	if (emi->flash_type != NULL)
		g_string_append_printf(str, "            flash_type: %s\n", emi->flash_type);
	g_string_append_printf(str, "            id_length: %u\n", emi->id_length);
	g_string_append(str, "            flash_id:  [");
	for (guint i = 0; i < G_N_ELEMENTS(emi->flash_id); i++)
		g_string_append_printf(str, "%s0x%02X", i > 0 ? ", " : "", emi->flash_id[i]);
	g_string_append(str, "]\n");
	if (emi->memory_type != NULL)
		g_string_append_printf(str, "        memory_type: %s\n", emi->memory_type);
	if (emi->emi_setting != NULL) {
		const gchar *nl = strchr(emi->emi_setting, '\n');
		g_autofree gchar *first =
			nl != NULL ? g_strndup(emi->emi_setting, nl - emi->emi_setting)
				   : g_strdup(emi->emi_setting);
		if (first[0] != '\0')
			g_string_append_printf(str, "        EMI_Setting: %s\n", first);
		else
			g_string_append(str, "        EMI_Setting:\n");
		if (nl != NULL)
			wf_cfg_append_block(str, nl + 1, 12);
	}
	if (emi->extra != NULL)
		wf_cfg_write_extras(str, emi->extra, 8);
	g_string_append_c(str, '\n');
}

/**
 * wf_cfg_to_string:
 * @self: a #WfCfg
 *
 * Writes the config in the layout MediaTek's cfgGen produces (LF line
 * ends, which SP Flash Tool accepts). Sections that were absent stay
 * absent, and so does a missing `config_version` (wf_cfg_new() starts with
 * "alpha", which the tool expects).
 *
 * Returns: (transfer full): the text
 */
gchar *
wf_cfg_to_string(WfCfg *self)
{
	GString *str = g_string_new(NULL);

	g_return_val_if_fail(WF_IS_CFG(self), NULL);

	wf_cfg_write_banner(str, "General Setting");
	g_string_append(str, "general:\n");
	if (self->config_version != NULL)
		g_string_append_printf(str, "    config_version : %s\n", self->config_version);
	if (self->platform != NULL)
		g_string_append_printf(str, "    platform: %s\n", self->platform);
	wf_cfg_write_extras(str, self->general_extra, 4);
	g_string_append_c(str, '\n');

	for (guint i = 0; i < WF_CFG_REGION_LAST; i++)
		wf_cfg_write_region(self, i, str);

	if (self->has_external_memory) {
		wf_cfg_write_banner(str, "External Memory Setting");
		g_string_append(str, "external_memory:\n");
		if (self->parameters_version != NULL)
			g_string_append_printf(
				str, "    parameters_version: %s\n", self->parameters_version);
		wf_cfg_write_extras(str, self->em_extra, 4);
		g_string_append(str, "    parameters:\n");
		for (guint i = 0; i < self->emis->len; i++)
			wf_cfg_write_emi(g_ptr_array_index(self->emis, i), i + 1, str);
	}
	for (guint i = 0; i < self->extra_sections->len; i++) {
		wf_cfg_append_block(str, g_ptr_array_index(self->extra_sections, i), 0);
		g_string_append_c(str, '\n');
	}
	return g_string_free(str, FALSE);
}

/* -- JSON ---------------------------------------------------------------- */

static void
wf_cfg_json_add_strv(JsonBuilder *builder, const gchar *name, GPtrArray *array)
{
	json_builder_set_member_name(builder, name);
	json_builder_begin_array(builder);
	for (guint i = 0; i < array->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(array, i));
	json_builder_end_array(builder);
}

static void
wf_cfg_json_add_string(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, value);
}

static void
wf_cfg_json_add_emi(JsonBuilder *builder, WfCfgEmi *emi)
{
	g_autoptr(GString) id = g_string_new(NULL);

	json_builder_begin_object(builder);
	wf_cfg_json_add_string(builder, "flash_type", emi->flash_type);
	json_builder_set_member_name(builder, "id_length");
	json_builder_add_int_value(builder, emi->id_length);
	json_builder_set_member_name(builder, "flash_id");
	json_builder_begin_array(builder);
	for (guint i = 0; i < G_N_ELEMENTS(emi->flash_id); i++)
		json_builder_add_int_value(builder, emi->flash_id[i]);
	json_builder_end_array(builder);
	/* the significant bytes as one string, handy to compare with the
	 * JEDEC ID the Download Agent reads */
	for (guint i = 0; i < emi->id_length; i++)
		g_string_append_printf(id, "%s%02X", i > 0 ? " " : "", emi->flash_id[i]);
	wf_cfg_json_add_string(builder, "jedec_id", id->str);
	wf_cfg_json_add_string(builder, "memory_type", emi->memory_type);
	wf_cfg_json_add_string(builder, "emi_setting", emi->emi_setting);
	if (emi->extra != NULL && emi->extra->len > 0)
		wf_cfg_json_add_strv(builder, "extra", emi->extra);
	json_builder_end_object(builder);
}

/**
 * wf_cfg_to_json:
 * @self: a #WfCfg
 *
 * Returns: (transfer full): every field as a JSON object
 */
JsonNode *
wf_cfg_to_json(WfCfg *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(WF_IS_CFG(self), NULL);

	json_builder_begin_object(builder);
	wf_cfg_json_add_string(builder, "config_version", self->config_version);
	wf_cfg_json_add_string(builder, "platform", self->platform);
	if (self->general_extra->len > 0)
		wf_cfg_json_add_strv(builder, "general_extra", self->general_extra);
	json_builder_set_member_name(builder, "regions");
	json_builder_begin_object(builder);
	for (guint i = 0; i < WF_CFG_REGION_LAST; i++) {
		WfCfgRegionData *region = &self->regions[i];
		if (!region->present)
			continue;
		json_builder_set_member_name(builder, region_names[i]);
		json_builder_begin_object(builder);
		wf_cfg_json_add_string(builder, "alignment", region->alignment);
		wf_cfg_json_add_strv(builder, "files", region->files);
		if (region->extra->len > 0)
			wf_cfg_json_add_strv(builder, "extra", region->extra);
		json_builder_end_object(builder);
	}
	json_builder_end_object(builder);
	if (self->has_external_memory) {
		json_builder_set_member_name(builder, "external_memory");
		json_builder_begin_object(builder);
		wf_cfg_json_add_string(builder, "parameters_version", self->parameters_version);
		json_builder_set_member_name(builder, "parameters");
		json_builder_begin_array(builder);
		for (guint i = 0; i < self->emis->len; i++)
			wf_cfg_json_add_emi(builder, g_ptr_array_index(self->emis, i));
		json_builder_end_array(builder);
		if (self->em_extra->len > 0)
			wf_cfg_json_add_strv(builder, "extra", self->em_extra);
		json_builder_end_object(builder);
	}
	if (self->extra_sections->len > 0)
		wf_cfg_json_add_strv(builder, "extra_sections", self->extra_sections);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
