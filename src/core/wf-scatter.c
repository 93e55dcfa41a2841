/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-scatter.h"

#include <errno.h>
#include <string.h>

#include "wf-common.h"
#include "wf-error.h"

struct _WfScatter {
	GObject parent_instance;
	GPtrArray *load_regions; /* (element-type WfScatterRegion) */
};

G_DEFINE_FINAL_TYPE(WfScatter, wf_scatter, G_TYPE_OBJECT)

/* -- nodes ----------------------------------------------------------------- */

static void
wf_scatter_selector_free(gpointer data)
{
	WfScatterSelector *sel = data;
	g_free(sel->module);
	g_ptr_array_unref(sel->sections);
	g_free(sel);
}

static void
wf_scatter_region_free(gpointer data)
{
	WfScatterRegion *region = data;
	if (region == NULL)
		return;
	g_free(region->name);
	g_ptr_array_unref(region->children);
	g_ptr_array_unref(region->selectors);
	g_free(region);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfScatterRegion, wf_scatter_region_free)

static WfScatterRegion *
wf_scatter_region_new(const gchar *name, guint line)
{
	WfScatterRegion *region = g_new0(WfScatterRegion, 1);
	region->name = g_strdup(name);
	region->line = line;
	region->children = g_ptr_array_new_with_free_func(wf_scatter_region_free);
	region->selectors = g_ptr_array_new_with_free_func(wf_scatter_selector_free);
	return region;
}

static void
wf_scatter_finalize(GObject *object)
{
	WfScatter *self = WF_SCATTER(object);
	g_ptr_array_unref(self->load_regions);
	G_OBJECT_CLASS(wf_scatter_parent_class)->finalize(object);
}

static void
wf_scatter_class_init(WfScatterClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_scatter_finalize;
}

static void
wf_scatter_init(WfScatter *self)
{
	self->load_regions = g_ptr_array_new_with_free_func(wf_scatter_region_free);
}

/**
 * wf_scatter_new:
 *
 * Returns: (transfer full): an empty scatter description
 */
WfScatter *
wf_scatter_new(void)
{
	return g_object_new(WF_TYPE_SCATTER, NULL);
}

/* -- detection -------------------------------------------------------------- */

static gboolean
wf_scatter_is_ident(const gchar *s, gsize len)
{
	if (len == 0 || !(g_ascii_isalpha(s[0]) || s[0] == '_'))
		return FALSE;
	for (gsize i = 1; i < len; i++) {
		if (!(g_ascii_isalnum(s[i]) || s[i] == '_'))
			return FALSE;
	}
	return TRUE;
}

static gboolean
wf_scatter_is_number_text(const gchar *s, gsize len)
{
	gsize i = 0;
	if (len > 0 && s[0] == '+')
		i++;
	if (len >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		i += 2;
		if (i == len)
			return FALSE;
		for (; i < len; i++) {
			if (!g_ascii_isxdigit(s[i]))
				return FALSE;
		}
		return TRUE;
	}
	if (i == len)
		return FALSE;
	for (; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	}
	return TRUE;
}

static gboolean
wf_scatter_is_cfg_section(const gchar *s, gsize len)
{
	const gchar *names[] = {"general",
				"boot_region",
				"control_block_region",
				"main_region",
				"gps_module_region",
				"file_system_region",
				"external_memory"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return TRUE;
	}
	return FALSE;
}

static WfConfigFileKind
wf_config_file_detect_line(const gchar *line, gsize len)
{
	gsize word = 0;
	gsize next;

	if (len >= 2 && line[0] == '-' && (line[1] == ' ' || line[1] == '\t')) {
		if (g_strstr_len(line, len, "MTK_PLATFORM_CFG") != NULL)
			return WF_CONFIG_FILE_ANDROID_SCATTER;
		return WF_CONFIG_FILE_UNKNOWN;
	}
	while (word < len && (g_ascii_isalnum(line[word]) || line[word] == '_'))
		word++;
	next = word;
	while (next < len && (line[next] == ' ' || line[next] == '\t'))
		next++;
	if (next < len && line[next] == ':')
		return wf_scatter_is_cfg_section(line, word) ? WF_CONFIG_FILE_CFG
							     : WF_CONFIG_FILE_UNKNOWN;
	if (wf_scatter_is_ident(line, word) && next > word && next < len) {
		gsize end = next;
		while (end < len && !g_ascii_isspace(line[end]) && line[end] != '{' &&
		       line[end] != ';')
			end++;
		if (wf_scatter_is_number_text(line + next, end - next))
			return WF_CONFIG_FILE_SCATTER;
	}
	return WF_CONFIG_FILE_UNKNOWN;
}

/**
 * wf_config_file_detect:
 * @blob: the start of a file (the first 64 KiB are enough)
 *
 * Sniffs the first line that is not blank or a `#`/`;` comment.
 *
 * Returns: what kind of configuration file @blob holds
 */
WfConfigFileKind
wf_config_file_detect(GBytes *blob)
{
	gsize size = 0;
	const gchar *data;
	const gchar *line = NULL;
	gsize len = 0;
	gsize pos;

	g_return_val_if_fail(blob != NULL, WF_CONFIG_FILE_UNKNOWN);

	data = g_bytes_get_data(blob, &size);
	/* the answer comes from the first significant line; do not read on
	 * through megabytes of comments or a binary file */
	size = MIN(size, 64 * 1024);
	if (size > 0 && memchr(data, '\0', size) != NULL)
		return WF_CONFIG_FILE_UNKNOWN;
	pos = wf_common_skip_bom(data, size);
	while (wf_common_next_line(data, size, &pos, &line, &len)) {
		while (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
			line++;
			len--;
		}
		while (len > 0 && g_ascii_isspace(line[len - 1]))
			len--;
		if (len == 0 || line[0] == '#' || line[0] == ';')
			continue;
		return wf_config_file_detect_line(line, len);
	}
	return WF_CONFIG_FILE_UNKNOWN;
}

/**
 * wf_config_file_kind_to_string:
 * @kind: a #WfConfigFileKind
 *
 * Returns: a stable name for JSON output
 */
const gchar *
wf_config_file_kind_to_string(WfConfigFileKind kind)
{
	switch (kind) {
	case WF_CONFIG_FILE_CFG:
		return "cfg";
	case WF_CONFIG_FILE_SCATTER:
		return "scatter";
	case WF_CONFIG_FILE_ANDROID_SCATTER:
		return "android-scatter";
	case WF_CONFIG_FILE_UNKNOWN:
	default:
		return "unknown";
	}
}

/**
 * wf_scatter_set_android_error:
 * @error: (nullable): return location
 *
 * The one message for an Android scatter file, shared by every parser
 * that can be handed one.
 */
void
wf_scatter_set_android_error(GError **error)
{
	g_set_error_literal(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "this is an Android scatter file (MTK_PLATFORM_CFG); watches with "
			    "MT6261/MT6260 use a SV5 .cfg — open the .cfg that came with the "
			    "firmware (e.g. <BOARD>_BB.cfg next to ROM and VIVA), or let "
			    "Wristflash write one from a backup");
}

/* -- lexer ------------------------------------------------------------------ */

typedef enum {
	TOK_END,
	TOK_WORD,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_COMMA,
} WfScatterTokKind;

typedef struct {
	const gchar *data;
	gsize size;
	gsize pos;
	guint line;
	gboolean at_line_start;
	/* current token */
	WfScatterTokKind kind;
	gchar *text;
	guint tok_line;
	/* load region names seen so far (borrowed from the regions): a
	 * linear search per region would be quadratic on hostile input */
	GHashTable *load_names;
} WfScatterLexer;

static void
wf_scatter_lexer_skip_line(WfScatterLexer *lex)
{
	while (lex->pos < lex->size && lex->data[lex->pos] != '\n')
		lex->pos++;
}

static gboolean
wf_scatter_lexer_starts_with(WfScatterLexer *lex, const gchar *word)
{
	gsize len = strlen(word);
	return lex->size - lex->pos >= len && memcmp(lex->data + lex->pos, word, len) == 0;
}

static gboolean
wf_scatter_is_word_char(gchar c)
{
	return !g_ascii_isspace(c) && c != '{' && c != '}' && c != '(' && c != ')' && c != ',' &&
	       c != ';' && c != '"';
}

static gboolean
wf_scatter_lexer_next(WfScatterLexer *lex, GError **error)
{
	g_clear_pointer(&lex->text, g_free);
	for (;;) {
		gchar c;
		if (lex->pos >= lex->size) {
			lex->kind = TOK_END;
			lex->tok_line = lex->line;
			return TRUE;
		}
		c = lex->data[lex->pos];
		if (c == '\n') {
			lex->line++;
			lex->pos++;
			lex->at_line_start = TRUE;
			continue;
		}
		if (g_ascii_isspace(c)) {
			lex->pos++;
			continue;
		}
		if (c == ';') {
			wf_scatter_lexer_skip_line(lex);
			continue;
		}
		/* MediaTek's own parser skips '#' lines (#define, #! armcc -E,
		 * vendor notes) and ScatterAssert(...) checks */
		if (lex->at_line_start &&
		    (c == '#' || wf_scatter_lexer_starts_with(lex, "ScatterAssert"))) {
			wf_scatter_lexer_skip_line(lex);
			continue;
		}
		if (c == '\0') {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: contains a NUL byte; this is a binary file, not a "
				    "scatter file",
				    lex->line);
			return FALSE;
		}
		break;
	}
	lex->at_line_start = FALSE;
	lex->tok_line = lex->line;
	switch (lex->data[lex->pos]) {
	case '{':
		lex->kind = TOK_LBRACE;
		lex->pos++;
		return TRUE;
	case '}':
		lex->kind = TOK_RBRACE;
		lex->pos++;
		return TRUE;
	case '(':
		lex->kind = TOK_LPAREN;
		lex->pos++;
		return TRUE;
	case ')':
		lex->kind = TOK_RPAREN;
		lex->pos++;
		return TRUE;
	case ',':
		lex->kind = TOK_COMMA;
		lex->pos++;
		return TRUE;
	case '"': {
		/* quoted module patterns such as "*armlib/…" */
		gsize start = ++lex->pos;
		while (lex->pos < lex->size && lex->data[lex->pos] != '"' &&
		       lex->data[lex->pos] != '\n')
			lex->pos++;
		if (lex->pos >= lex->size || lex->data[lex->pos] != '"') {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: unterminated quoted name",
				    lex->tok_line);
			return FALSE;
		}
		lex->text = g_strndup(lex->data + start, lex->pos - start);
		lex->pos++;
		break;
	}
	default: {
		gsize start = lex->pos;
		while (lex->pos < lex->size && wf_scatter_is_word_char(lex->data[lex->pos]) &&
		       lex->data[lex->pos] != '\0')
			lex->pos++;
		lex->text = g_strndup(lex->data + start, lex->pos - start);
		break;
	}
	}
	if (lex->text[0] == '\0') {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: empty or NUL-containing name",
			    lex->tok_line);
		return FALSE;
	}
	if (!g_utf8_validate(lex->text, -1, NULL)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: not valid UTF-8 text",
			    lex->tok_line);
		return FALSE;
	}
	lex->kind = TOK_WORD;
	return TRUE;
}

/* -- parser ----------------------------------------------------------------- */

static gboolean
wf_scatter_parse_number(const gchar *text, guint64 *value)
{
	const gchar *digits = text;
	guint base = 10;
	gchar *end = NULL;
	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X")) {
		digits += 2;
		base = 16;
	}
	if (!g_ascii_isxdigit(digits[0]))
		return FALSE;
	errno = 0;
	*value = g_ascii_strtoull(digits, &end, base);
	return errno == 0 && end != digits && *end == '\0';
}

static const struct {
	const gchar *name;
	WfScatterAttr attr;
} attr_names[] = {
	{"ABSOLUTE", WF_SCATTER_ATTR_ABSOLUTE},
	{"ALIGN", WF_SCATTER_ATTR_ALIGN},
	{"OVERLAY", WF_SCATTER_ATTR_OVERLAY},
	{"FIXED", WF_SCATTER_ATTR_FIXED},
	{"PI", WF_SCATTER_ATTR_PI},
	{"RELOC", WF_SCATTER_ATTR_RELOC},
	{"EMPTY", WF_SCATTER_ATTR_EMPTY},
	{"ZEROPAD", WF_SCATTER_ATTR_ZEROPAD},
	{"UNINIT", WF_SCATTER_ATTR_UNINIT},
	{"NOCOMPRESS", WF_SCATTER_ATTR_NOCOMPRESS},
};

/* NAME base [attributes] [max_size] '{' — the name is already consumed */
static gboolean
wf_scatter_parse_header(WfScatterLexer *lex, WfScatterRegion *region, GError **error)
{
	const gchar *base;

	if (lex->kind != TOK_WORD) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected a base address after region ‘%s’",
			    lex->tok_line,
			    region->name);
		return FALSE;
	}
	base = lex->text;
	if (base[0] == '+') {
		region->base_is_offset = TRUE;
		base++;
	}
	if (!wf_scatter_parse_number(base, &region->base)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected a base address (0x… or +0x…) after region ‘%s’, "
			    "got ‘%s’",
			    lex->tok_line,
			    region->name,
			    lex->text);
		return FALSE;
	}
	if (!wf_scatter_lexer_next(lex, error))
		return FALSE;
	if (lex->kind == TOK_LPAREN) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "line %u: address expressions in region ‘%s’ are not supported",
			    lex->tok_line,
			    region->name);
		return FALSE;
	}
	while (lex->kind == TOK_WORD) {
		guint64 number = 0;
		gboolean known = FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(attr_names); i++) {
			if (g_strcmp0(lex->text, attr_names[i].name) != 0)
				continue;
			region->attrs |= attr_names[i].attr;
			known = TRUE;
			if (attr_names[i].attr != WF_SCATTER_ATTR_ALIGN)
				break;
			if (!wf_scatter_lexer_next(lex, error))
				return FALSE;
			if (lex->kind != TOK_WORD ||
			    !wf_scatter_parse_number(lex->text, &region->align)) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: expected a number after ALIGN in region ‘%s’",
					    lex->tok_line,
					    region->name);
				return FALSE;
			}
			break;
		}
		if (!known) {
			if (!wf_scatter_parse_number(lex->text, &number) &&
			    wf_scatter_is_number_text(lex->text, strlen(lex->text))) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: number ‘%s’ of region ‘%s’ is out of range",
					    lex->tok_line,
					    lex->text,
					    region->name);
				return FALSE;
			}
			if (!wf_scatter_parse_number(lex->text, &number)) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: unknown attribute ‘%s’ of region ‘%s’",
					    lex->tok_line,
					    lex->text,
					    region->name);
				return FALSE;
			}
			if (region->has_max_size) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_INVALID_FILE,
					    "line %u: region ‘%s’ has two sizes",
					    lex->tok_line,
					    region->name);
				return FALSE;
			}
			region->has_max_size = TRUE;
			region->max_size = number;
		}
		if (!wf_scatter_lexer_next(lex, error))
			return FALSE;
	}
	if (lex->kind != TOK_LBRACE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected ‘{’ to open region ‘%s’",
			    lex->tok_line,
			    region->name);
		return FALSE;
	}
	return wf_scatter_lexer_next(lex, error);
}

/* module '(' section {',' section} ')' — the module is the current token */
static gboolean
wf_scatter_parse_selector(WfScatterLexer *lex, WfScatterRegion *exec, GError **error)
{
	WfScatterSelector *sel = g_new0(WfScatterSelector, 1);
	sel->module = g_steal_pointer(&lex->text);
	sel->line = lex->tok_line;
	sel->sections = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(exec->selectors, sel);

	if (!wf_scatter_lexer_next(lex, error))
		return FALSE;
	if (lex->kind != TOK_LPAREN) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected ‘(’ after ‘%s’ in execution region ‘%s’ "
			    "(regions nest only two deep)",
			    lex->tok_line,
			    sel->module,
			    exec->name);
		return FALSE;
	}
	if (!wf_scatter_lexer_next(lex, error))
		return FALSE;
	while (lex->kind != TOK_RPAREN) {
		if (lex->kind == TOK_COMMA) {
			if (!wf_scatter_lexer_next(lex, error))
				return FALSE;
			continue;
		}
		if (lex->kind != TOK_WORD) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: expected a section name or ‘)’ after ‘%s (’",
				    lex->tok_line,
				    sel->module);
			return FALSE;
		}
		g_ptr_array_add(sel->sections, g_steal_pointer(&lex->text));
		if (!wf_scatter_lexer_next(lex, error))
			return FALSE;
	}
	return wf_scatter_lexer_next(lex, error);
}

static gboolean
wf_scatter_expect_closed(WfScatterLexer *lex, WfScatterRegion *region, GError **error)
{
	if (lex->kind == TOK_END) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: region ‘%s’ opened on line %u is not closed",
			    lex->tok_line,
			    region->name,
			    region->line);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_scatter_parse_exec_region(WfScatterLexer *lex, WfScatterRegion *load, GError **error)
{
	g_autoptr(WfScatterRegion) exec = wf_scatter_region_new(lex->text, lex->tok_line);

	if (!wf_scatter_is_ident(lex->text, strlen(lex->text))) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected an execution region name in ‘%s’, got ‘%s’",
			    lex->tok_line,
			    load->name,
			    lex->text);
		return FALSE;
	}
	if (!wf_scatter_lexer_next(lex, error))
		return FALSE;
	if (!wf_scatter_parse_header(lex, exec, error))
		return FALSE;
	while (lex->kind != TOK_RBRACE) {
		if (!wf_scatter_expect_closed(lex, exec, error))
			return FALSE;
		if (lex->kind != TOK_WORD) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: expected an input section selector in ‘%s’",
				    lex->tok_line,
				    exec->name);
			return FALSE;
		}
		if (!wf_scatter_parse_selector(lex, exec, error))
			return FALSE;
	}
	g_ptr_array_add(load->children, g_steal_pointer(&exec));
	return wf_scatter_lexer_next(lex, error);
}

static gboolean
wf_scatter_parse_load_region(WfScatter *self, WfScatterLexer *lex, GError **error)
{
	g_autoptr(WfScatterRegion) load = NULL;

	if (lex->kind != TOK_WORD || !wf_scatter_is_ident(lex->text, strlen(lex->text))) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: expected a load region name, got ‘%s’",
			    lex->tok_line,
			    lex->kind == TOK_WORD     ? lex->text
			    : lex->kind == TOK_RBRACE ? "}"
						      : "punctuation");
		return FALSE;
	}
	load = wf_scatter_region_new(lex->text, lex->tok_line);
	if (!wf_scatter_lexer_next(lex, error))
		return FALSE;
	if (!wf_scatter_parse_header(lex, load, error))
		return FALSE;
	while (lex->kind != TOK_RBRACE) {
		if (!wf_scatter_expect_closed(lex, load, error))
			return FALSE;
		if (lex->kind != TOK_WORD) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "line %u: expected an execution region in ‘%s’",
				    lex->tok_line,
				    load->name);
			return FALSE;
		}
		if (!wf_scatter_parse_exec_region(lex, load, error))
			return FALSE;
	}
	if (g_hash_table_contains(lex->load_names, load->name)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "line %u: second load region named ‘%s’",
			    load->line,
			    load->name);
		return FALSE;
	}
	g_hash_table_add(lex->load_names, load->name);
	g_ptr_array_add(self->load_regions, g_steal_pointer(&load));
	return wf_scatter_lexer_next(lex, error);
}

/**
 * wf_scatter_parse:
 * @self: a #WfScatter
 * @blob: the file contents
 * @error: (nullable): return location
 *
 * Parses a classic region-block scatter file. An Android scatter file is
 * refused with %WF_ERROR_NOT_SUPPORTED.
 *
 * Returns: %TRUE on success; on failure @self is left empty
 */
gboolean
wf_scatter_parse(WfScatter *self, GBytes *blob, GError **error)
{
	WfScatterLexer lex = {0};
	gsize size = 0;
	gboolean ok = TRUE;

	g_return_val_if_fail(WF_IS_SCATTER(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	g_ptr_array_set_size(self->load_regions, 0);
	lex.data = g_bytes_get_data(blob, &size);
	lex.size = size;
	lex.line = 1;
	lex.at_line_start = TRUE;
	if (size > WF_SCATTER_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%" G_GSIZE_FORMAT " bytes is too large for a scatter file (limit %u)",
			    size,
			    (guint)WF_SCATTER_MAX_SIZE);
		return FALSE;
	}
	if (wf_config_file_detect(blob) == WF_CONFIG_FILE_ANDROID_SCATTER) {
		wf_scatter_set_android_error(error);
		return FALSE;
	}
	lex.pos = wf_common_skip_bom(lex.data, size);
	lex.load_names = g_hash_table_new(g_str_hash, g_str_equal);
	ok = wf_scatter_lexer_next(&lex, error);
	while (ok && lex.kind != TOK_END)
		ok = wf_scatter_parse_load_region(self, &lex, error);
	g_hash_table_unref(lex.load_names);
	g_free(lex.text);
	if (ok && self->load_regions->len == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "not a scatter file: no load region found");
		ok = FALSE;
	}
	if (!ok)
		g_ptr_array_set_size(self->load_regions, 0);
	return ok;
}

/**
 * wf_scatter_new_from_bytes:
 * @blob: the file contents
 * @error: (nullable): return location
 *
 * Returns: (transfer full): a parsed scatter description, or %NULL
 */
WfScatter *
wf_scatter_new_from_bytes(GBytes *blob, GError **error)
{
	g_autoptr(WfScatter) self = wf_scatter_new();
	g_return_val_if_fail(blob != NULL, NULL);
	if (!wf_scatter_parse(self, blob, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * wf_scatter_get_load_regions:
 * @self: a #WfScatter
 *
 * Returns: (transfer none) (element-type WfScatterRegion): load regions in order
 */
GPtrArray *
wf_scatter_get_load_regions(WfScatter *self)
{
	g_return_val_if_fail(WF_IS_SCATTER(self), NULL);
	return self->load_regions;
}

static WfScatterRegion *
wf_scatter_find(GPtrArray *regions, const gchar *name)
{
	for (guint i = 0; i < regions->len; i++) {
		WfScatterRegion *region = g_ptr_array_index(regions, i);
		if (g_strcmp0(region->name, name) == 0)
			return region;
	}
	return NULL;
}

/**
 * wf_scatter_get_load_region:
 * @self: a #WfScatter
 * @name: e.g. "ROM"
 *
 * Returns: (transfer none) (nullable): the load region of that name
 */
WfScatterRegion *
wf_scatter_get_load_region(WfScatter *self, const gchar *name)
{
	g_return_val_if_fail(WF_IS_SCATTER(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	return wf_scatter_find(self->load_regions, name);
}

/**
 * wf_scatter_region_get_child:
 * @region: a load region
 * @name: an execution region name, e.g. "ROM_GFH"
 *
 * Returns: (transfer none) (nullable): the first execution region of that name
 */
WfScatterRegion *
wf_scatter_region_get_child(WfScatterRegion *region, const gchar *name)
{
	g_return_val_if_fail(region != NULL, NULL);
	g_return_val_if_fail(name != NULL, NULL);
	return wf_scatter_find(region->children, name);
}

/**
 * wf_scatter_attr_to_string:
 * @attrs: flags
 * @align: the ALIGN value
 *
 * Returns: (transfer full): e.g. "ALIGN 1024 OVERLAY", "" for none
 */
gchar *
wf_scatter_attr_to_string(WfScatterAttr attrs, guint64 align)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(attr_names); i++) {
		if ((attrs & attr_names[i].attr) == 0)
			continue;
		if (str->len > 0)
			g_string_append_c(str, ' ');
		g_string_append(str, attr_names[i].name);
		if (attr_names[i].attr == WF_SCATTER_ATTR_ALIGN)
			g_string_append_printf(str, " %" G_GUINT64_FORMAT, align);
	}
	return g_string_free(str, FALSE);
}

/* -- JSON --------------------------------------------------------------------- */

static void
wf_scatter_json_add_hex(JsonBuilder *builder, const gchar *name, guint64 value)
{
	g_autofree gchar *hex = g_strdup_printf("0x%" G_GINT64_MODIFIER "X", value);
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, hex);
}

static void
wf_scatter_json_add_region(JsonBuilder *builder, WfScatterRegion *region)
{
	g_autofree gchar *attrs = wf_scatter_attr_to_string(region->attrs, region->align);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, region->name);
	json_builder_set_member_name(builder, "line");
	json_builder_add_int_value(builder, region->line);
	wf_scatter_json_add_hex(builder, region->base_is_offset ? "offset" : "base", region->base);
	if (attrs[0] != '\0') {
		json_builder_set_member_name(builder, "attributes");
		json_builder_add_string_value(builder, attrs);
	}
	if (region->has_max_size)
		wf_scatter_json_add_hex(builder, "max_size", region->max_size);
	if (region->children->len > 0) {
		json_builder_set_member_name(builder, "execution_regions");
		json_builder_begin_array(builder);
		for (guint i = 0; i < region->children->len; i++)
			wf_scatter_json_add_region(builder, g_ptr_array_index(region->children, i));
		json_builder_end_array(builder);
	}
	if (region->selectors->len > 0) {
		json_builder_set_member_name(builder, "selectors");
		json_builder_begin_array(builder);
		for (guint i = 0; i < region->selectors->len; i++) {
			WfScatterSelector *sel = g_ptr_array_index(region->selectors, i);
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "module");
			json_builder_add_string_value(builder, sel->module);
			json_builder_set_member_name(builder, "sections");
			json_builder_begin_array(builder);
			for (guint j = 0; j < sel->sections->len; j++)
				json_builder_add_string_value(builder,
							      g_ptr_array_index(sel->sections, j));
			json_builder_end_array(builder);
			json_builder_end_object(builder);
		}
		json_builder_end_array(builder);
	}
	json_builder_end_object(builder);
}

/**
 * wf_scatter_to_json:
 * @self: a #WfScatter
 *
 * Returns: (transfer full): `{"load_regions": [...]}`
 */
JsonNode *
wf_scatter_to_json(WfScatter *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(WF_IS_SCATTER(self), NULL);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "load_regions");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->load_regions->len; i++)
		wf_scatter_json_add_region(builder, g_ptr_array_index(self->load_regions, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
