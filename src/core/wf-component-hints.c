/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-component-hints.h"

#include <string.h>

/*
 * Watch vendors encode the hardware in the VERNO
 * (MX6X-COB-DZ09-7789HSD-YDT6153-JZTX-V02.91-20190917): LCD driver, touch IC,
 * panel, board, region, version and build date. The field order is a vendor
 * convention, so tokens are decoded one by one from the components table;
 * versions, dates and MAUI week labels are syntax and are decoded here.
 * Every token is reported, the unknown ones too.
 */

#define WF_COMPONENT_HINTS_MAX_COMPOUND 4 /* raw tokens in one table key */
#define WF_COMPONENT_HINTS_MAX_VERSION	3 /* ".n" groups joined to "Vn" */

typedef struct {
	gsize start;
	gsize len;
	gchar sep; /* separator before this token, 0 at the start */
} WfRawToken;

struct _WfComponentHints {
	GObject parent_instance;
	WfKnowledgeTable *table;  /* nullable */
	GStringChunk *strings;	  /* origins */
	GPtrArray *inputs;	  /* gchar*, the strings decoded */
	GPtrArray *input_origins; /* const gchar*, from strings */
	GPtrArray *tokens;	  /* WfComponentToken */
	GPtrArray *evidence;	  /* WfComponentToken from images */
	GRegex *date_re;
	GRegex *time_re;
	GRegex *branch_re;
};

G_DEFINE_FINAL_TYPE(WfComponentHints, wf_component_hints, G_TYPE_OBJECT)

static void
wf_component_token_free(gpointer data)
{
	WfComponentToken *token = data;
	g_free(token->text);
	g_free(token->value);
	g_free(token);
}

/**
 * wf_component_token_get_meaning:
 *
 * Returns: (nullable): the table's explanation, %NULL if unknown
 */
const gchar *
wf_component_token_get_meaning(const WfComponentToken *token)
{
	g_return_val_if_fail(token != NULL, NULL);
	if (token->entry == NULL)
		return NULL;
	return wf_knowledge_entry_get_string(token->entry, "meaning");
}

static void
wf_component_hints_finalize(GObject *object)
{
	WfComponentHints *self = WF_COMPONENT_HINTS(object);
	g_clear_object(&self->table);
	g_ptr_array_unref(self->inputs);
	g_ptr_array_unref(self->input_origins);
	g_ptr_array_unref(self->tokens);
	g_ptr_array_unref(self->evidence);
	g_string_chunk_free(self->strings);
	g_regex_unref(self->date_re);
	g_regex_unref(self->time_re);
	g_regex_unref(self->branch_re);
	G_OBJECT_CLASS(wf_component_hints_parent_class)->finalize(object);
}

static void
wf_component_hints_class_init(WfComponentHintsClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_component_hints_finalize;
}

static void
wf_component_hints_init(WfComponentHints *self)
{
	self->strings = g_string_chunk_new(128);
	self->inputs = g_ptr_array_new_with_free_func(g_free);
	self->input_origins = g_ptr_array_new();
	self->tokens = g_ptr_array_new_with_free_func(wf_component_token_free);
	self->evidence = g_ptr_array_new_with_free_func(wf_component_token_free);
	/* constant patterns: failure would be a bug */
	self->date_re = g_regex_new("^([0-9]{4})/([0-9]{2})/([0-9]{2})$", 0, 0, NULL);
	self->time_re = g_regex_new("^([0-9]{2}):([0-9]{2})(:[0-9]{2})?$", 0, 0, NULL);
	/* release_branch() words such as 11CW1418IOTMP: branch, week, tags */
	self->branch_re = g_regex_new(
		"^(1[0-9][A-Z])W([0-9]{2})([0-9]{2})([A-Z]*)$", G_REGEX_CASELESS, 0, NULL);
	g_assert(self->date_re != NULL && self->time_re != NULL && self->branch_re != NULL);
}

/**
 * wf_component_hints_new:
 * @table: (nullable): a loaded "components" #WfKnowledgeTable; without one
 *   only versions and dates are decoded
 *
 * Returns: (transfer full): an empty result; feed it strings and images
 */
WfComponentHints *
wf_component_hints_new(WfKnowledgeTable *table)
{
	WfComponentHints *self;
	g_return_val_if_fail(table == NULL || WF_IS_KNOWLEDGE_TABLE(table), NULL);
	g_return_val_if_fail(table == NULL || g_strcmp0(wf_knowledge_table_get_kind(table),
							WF_KNOWLEDGE_TABLE_KIND_COMPONENTS) == 0,
			     NULL);
	self = g_object_new(WF_TYPE_COMPONENT_HINTS, NULL);
	if (table != NULL)
		self->table = g_object_ref(table);
	return self;
}

/* separators between tokens; '/' and ':' only split outside dates and times */
static gboolean
wf_component_hints_is_sep(guchar c)
{
	if (c >= 0x80 || !g_ascii_isprint(c) || c == ' ')
		return TRUE;
	return strchr("_-.,;()[]{}=\"'<>|", c) != NULL;
}

static gboolean
wf_component_hints_is_soft_sep(guchar c)
{
	return c == '/' || c == ':';
}

static gboolean
wf_component_hints_all_digits(const gchar *s, gsize len)
{
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	}
	return TRUE;
}

static void
wf_component_hints_split_word(
	WfComponentHints *self, const gchar *s, gsize start, gsize end, gchar sep, GArray *out)
{
	g_autofree gchar *word = g_strndup(s + start, end - start);
	gsize tok = start;

	/* a date or time keeps its '/' and ':' */
	if (g_regex_match(self->date_re, word, 0, NULL) ||
	    g_regex_match(self->time_re, word, 0, NULL)) {
		WfRawToken raw = {start, end - start, sep};
		g_array_append_val(out, raw);
		return;
	}
	for (gsize i = start; i <= end; i++) {
		if (i < end && !wf_component_hints_is_soft_sep(s[i]))
			continue;
		if (i > tok) {
			WfRawToken raw = {tok, i - tok, sep};
			g_array_append_val(out, raw);
		}
		if (i < end)
			sep = s[i];
		tok = i + 1;
	}
}

static GArray *
wf_component_hints_split(WfComponentHints *self, const gchar *s, gsize len)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(WfRawToken));
	gsize word = 0;
	gchar sep = 0;

	for (gsize i = 0; i <= len; i++) {
		if (i < len && !wf_component_hints_is_sep(s[i]))
			continue;
		if (i > word) {
			wf_component_hints_split_word(self, s, word, i, sep, out);
			sep = 0;
		}
		/* in a run such as " - " the punctuation tells more than the spaces */
		if (i < len && (sep == 0 || sep == ' '))
			sep = s[i];
		word = i + 1;
	}
	return out;
}

static WfComponentToken *
wf_component_hints_add_token(
	WfComponentHints *self, const gchar *origin, gsize offset, const gchar *text, gsize textlen)
{
	WfComponentToken *token = g_new0(WfComponentToken, 1);
	token->text = g_strndup(text, textlen);
	token->origin = origin;
	token->offset = offset;
	token->category = WF_COMPONENT_CATEGORY_UNKNOWN;
	token->confidence = WF_CONFIDENCE_UNKNOWN;
	token->count = 1;
	g_ptr_array_add(self->tokens, token);
	return token;
}

static void
wf_component_token_set_entry(WfComponentToken *token, JsonObject *entry)
{
	const gchar *part = wf_knowledge_entry_get_string(entry, "part");
	token->entry = entry;
	token->category = wf_knowledge_entry_get_string(entry, "category");
	token->confidence = wf_knowledge_entry_get_confidence(entry);
	g_free(token->value);
	token->value = g_strdup(part);
}

static const gchar *
wf_component_hints_raw_text(const gchar *s, const WfRawToken *raw)
{
	return s + raw->start;
}

/* the table key spanning raw tokens i..i+n-1, e.g. "PLUTO_MMI" */
static guint
wf_component_hints_try_compound(
	WfComponentHints *self, const gchar *s, GArray *raws, guint i, const gchar *origin)
{
	if (self->table == NULL)
		return 0;
	for (guint n = MIN(WF_COMPONENT_HINTS_MAX_COMPOUND, raws->len - i); n >= 2; n--) {
		WfRawToken *first = &g_array_index(raws, WfRawToken, i);
		WfRawToken *last = &g_array_index(raws, WfRawToken, i + n - 1);
		g_autofree gchar *text = NULL;
		gboolean joinable = TRUE;
		JsonObject *entry;

		for (guint k = i + 1; k < i + n; k++) {
			gchar sep = g_array_index(raws, WfRawToken, k).sep;
			WfRawToken *prev = &g_array_index(raws, WfRawToken, k - 1);
			WfRawToken *cur = &g_array_index(raws, WfRawToken, k);
			/* exactly one '_', '-' or '.' between the parts */
			if ((sep != '_' && sep != '-' && sep != '.') ||
			    cur->start != prev->start + prev->len + 1)
				joinable = FALSE;
		}
		if (!joinable)
			continue;
		text = g_strndup(s + first->start, last->start + last->len - first->start);
		entry = wf_knowledge_table_lookup_exact(self->table, text);
		if (entry != NULL) {
			WfComponentToken *token = wf_component_hints_add_token(
				self, origin, first->start, text, strlen(text));
			wf_component_token_set_entry(token, entry);
			return n;
		}
	}
	return 0;
}

static gboolean
wf_component_hints_is_v_number(const gchar *s, gsize len)
{
	return len >= 2 && (s[0] == 'V' || s[0] == 'v') &&
	       wf_component_hints_all_digits(s + 1, len - 1);
}

/*
 * "V02.91", "V12.195", "V1.02"; in file names MAUI writes the dots as
 * underscores ("V02_1" = "V02.1"), which is less certain.
 */
static guint
wf_component_hints_try_version(WfComponentHints *self,
			       const gchar *s,
			       GArray *raws,
			       guint i,
			       const gchar *origin,
			       gboolean need_groups)
{
	WfRawToken *first = &g_array_index(raws, WfRawToken, i);
	g_autoptr(GString) value = NULL;
	gboolean underscore = FALSE;
	WfComponentToken *token;
	WfRawToken *last = first;
	guint n = 1;

	if (!wf_component_hints_is_v_number(wf_component_hints_raw_text(s, first), first->len))
		return 0;
	value = g_string_new_len(s + first->start, first->len);
	while (i + n < raws->len && n <= WF_COMPONENT_HINTS_MAX_VERSION) {
		WfRawToken *next = &g_array_index(raws, WfRawToken, i + n);
		if ((next->sep != '.' && next->sep != '_') || next->len > 3 ||
		    !wf_component_hints_all_digits(s + next->start, next->len) ||
		    next->start != last->start + last->len + 1)
			break;
		if (next->sep == '_')
			underscore = TRUE;
		g_string_append_c(value, '.');
		g_string_append_len(value, s + next->start, next->len);
		last = next;
		n++;
	}
	if (need_groups && n == 1)
		return 0;
	token = wf_component_hints_add_token(self,
					     origin,
					     first->start,
					     s + first->start,
					     last->start + last->len - first->start);
	token->category = WF_COMPONENT_CATEGORY_VERSION;
	token->value = g_string_free(g_steal_pointer(&value), FALSE);
	token->confidence = underscore ? WF_CONFIDENCE_MEDIUM : WF_CONFIDENCE_HIGH;
	return n;
}

/* "W14.18" / "W14_18" / "W1418": the MAUI release week label */
static guint
wf_component_hints_try_week(
	WfComponentHints *self, const gchar *s, GArray *raws, guint i, const gchar *origin)
{
	WfRawToken *first = &g_array_index(raws, WfRawToken, i);
	const gchar *t = s + first->start;
	WfComponentToken *token;

	if ((t[0] != 'W' && t[0] != 'w') || !wf_component_hints_all_digits(t + 1, first->len - 1))
		return 0;
	if (first->len == 5) {
		token = wf_component_hints_add_token(self, origin, first->start, t, first->len);
		token->value = g_strdup_printf("W%.2s.%.2s", t + 1, t + 3);
	} else if (first->len == 3 && i + 1 < raws->len) {
		WfRawToken *next = &g_array_index(raws, WfRawToken, i + 1);
		if ((next->sep != '.' && next->sep != '_') || next->len != 2 ||
		    !wf_component_hints_all_digits(s + next->start, 2) ||
		    next->start != first->start + first->len + 1)
			return 0;
		token = wf_component_hints_add_token(
			self, origin, first->start, t, next->start + next->len - first->start);
		token->value = g_strdup_printf("W%.2s.%.2s", t + 1, s + next->start);
		token->category = WF_COMPONENT_CATEGORY_MAUI_WEEK;
		token->confidence = WF_CONFIDENCE_MEDIUM;
		return 2;
	} else {
		return 0;
	}
	token->category = WF_COMPONENT_CATEGORY_MAUI_WEEK;
	token->confidence = WF_CONFIDENCE_MEDIUM;
	return 1;
}

static gboolean
wf_component_hints_valid_date(guint year, guint month, guint day)
{
	if (month < 1 || month > 12 || day < 1 || year < 1990 || year > 2099)
		return FALSE;
	return g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

static guint
wf_component_hints_digits(const gchar *s, guint n)
{
	guint v = 0;
	for (guint i = 0; i < n; i++)
		v = v * 10 + (guint)(s[i] - '0');
	return v;
}

/* YYYYMMDD (high), YYYY/MM/DD (high), YYMMDD 2000-2039 (medium), HH:MM */
static gboolean
wf_component_hints_try_date(WfComponentHints *self, WfComponentToken *token)
{
	const gchar *t = token->text;
	gsize len = strlen(t);
	guint y, m, d;

	if (len == 8 && wf_component_hints_all_digits(t, 8)) {
		y = wf_component_hints_digits(t, 4);
		m = wf_component_hints_digits(t + 4, 2);
		d = wf_component_hints_digits(t + 6, 2);
		token->confidence = WF_CONFIDENCE_HIGH;
	} else if (len == 10 && g_regex_match(self->date_re, t, 0, NULL)) {
		y = wf_component_hints_digits(t, 4);
		m = wf_component_hints_digits(t + 5, 2);
		d = wf_component_hints_digits(t + 8, 2);
		token->confidence = WF_CONFIDENCE_HIGH;
	} else if (len == 6 && wf_component_hints_all_digits(t, 6) &&
		   wf_component_hints_digits(t, 2) < 40) {
		y = 2000 + wf_component_hints_digits(t, 2);
		m = wf_component_hints_digits(t + 2, 2);
		d = wf_component_hints_digits(t + 4, 2);
		token->confidence = WF_CONFIDENCE_MEDIUM;
	} else if (g_regex_match(self->time_re, t, 0, NULL)) {
		if (wf_component_hints_digits(t, 2) > 23 ||
		    wf_component_hints_digits(t + 3, 2) > 59)
			return FALSE;
		token->category = WF_COMPONENT_CATEGORY_BUILD_TIME;
		token->value = g_strdup(t);
		token->confidence = WF_CONFIDENCE_HIGH;
		return TRUE;
	} else {
		return FALSE;
	}
	if (!wf_component_hints_valid_date(y, m, d)) {
		token->confidence = WF_CONFIDENCE_UNKNOWN;
		return FALSE;
	}
	token->category = WF_COMPONENT_CATEGORY_BUILD_DATE;
	token->value = g_strdup_printf("%04u-%02u-%02u", y, m, d);
	return TRUE;
}

/* splits "IOTMP" into known table tokens, longest first; the rest is unknown */
static void
wf_component_hints_add_tags(
	WfComponentHints *self, const gchar *origin, gsize offset, const gchar *tags, gsize len)
{
	gsize pos = 0;
	while (pos < len) {
		gsize n;
		for (n = len - pos; n > 0; n--) {
			g_autofree gchar *part = g_strndup(tags + pos, n);
			JsonObject *entry =
				self->table != NULL
					? wf_knowledge_table_lookup_exact(self->table, part)
					: NULL;
			if (entry != NULL) {
				WfComponentToken *token = wf_component_hints_add_token(
					self, origin, offset + pos, part, n);
				wf_component_token_set_entry(token, entry);
				break;
			}
		}
		if (n == 0) {
			wf_component_hints_add_token(
				self, origin, offset + pos, tags + pos, len - pos);
			return;
		}
		pos += n;
	}
}

static void
wf_component_hints_add_lookup(
	WfComponentHints *self, const gchar *origin, gsize offset, const gchar *text, gsize len)
{
	WfComponentToken *token = wf_component_hints_add_token(self, origin, offset, text, len);
	JsonObject *entry = NULL;

	if (wf_component_hints_try_date(self, token))
		return;
	if (self->table != NULL)
		entry = wf_knowledge_table_lookup(self->table, token->text);
	if (entry != NULL)
		wf_component_token_set_entry(token, entry);
}

/* "11CW1418IOTMP" -> 11C, W14.18, IOT, MP */
static gboolean
wf_component_hints_try_branch(WfComponentHints *self,
			      const gchar *s,
			      const WfRawToken *raw,
			      const gchar *origin)
{
	g_autofree gchar *word = g_strndup(s + raw->start, raw->len);
	g_autoptr(GMatchInfo) match = NULL;
	WfComponentToken *token;

	if (!g_regex_match(self->branch_re, word, 0, &match))
		return FALSE;
	wf_component_hints_add_lookup(self, origin, raw->start, word, 3);
	token = wf_component_hints_add_token(self, origin, raw->start + 3, word + 3, 5);
	token->category = WF_COMPONENT_CATEGORY_MAUI_WEEK;
	token->value = g_strdup_printf("W%.2s.%.2s", word + 4, word + 6);
	token->confidence = WF_CONFIDENCE_MEDIUM;
	if (raw->len > 8)
		wf_component_hints_add_tags(self, origin, raw->start + 8, word + 8, raw->len - 8);
	return TRUE;
}

static void
wf_component_hints_decode(WfComponentHints *self, const gchar *origin, const gchar *s, gsize len)
{
	g_autoptr(GArray) raws = wf_component_hints_split(self, s, len);
	guint i = 0;

	while (i < raws->len) {
		WfRawToken *raw = &g_array_index(raws, WfRawToken, i);
		const gchar *t = wf_component_hints_raw_text(s, raw);
		g_autofree gchar *text = g_strndup(t, raw->len);
		guint n;

		/* table compounds first: "PLUTO_MMI", "ALTICE_F2" */
		n = wf_component_hints_try_compound(self, s, raws, i, origin);
		if (n == 0)
			n = wf_component_hints_try_version(self, s, raws, i, origin, TRUE);
		if (n == 0 && self->table != NULL &&
		    wf_knowledge_table_lookup_exact(self->table, text) != NULL) {
			/* a table token such as the model "V8" beats a bare "Vn" version */
			wf_component_hints_add_lookup(self, origin, raw->start, t, raw->len);
			n = 1;
		}
		if (n == 0)
			n = wf_component_hints_try_version(self, s, raws, i, origin, FALSE);
		if (n == 0)
			n = wf_component_hints_try_week(self, s, raws, i, origin);
		if (n == 0 && wf_component_hints_try_branch(self, s, raw, origin))
			n = 1;
		if (n == 0) {
			wf_component_hints_add_lookup(self, origin, raw->start, t, raw->len);
			n = 1;
		}
		i += n;
	}
}

/**
 * wf_component_hints_add_string:
 * @self: a #WfComponentHints
 * @origin: what the string is: "verno", "branch", "hw", "bin-name", …
 * @text: the string, untrusted; cut at %WF_COMPONENT_HINTS_MAX_STRING bytes
 *
 * Splits @text at `_ - .`, spaces and punctuation, keeps compounds the table
 * knows, joins versions ("V02.91"), MAUI weeks ("W14.18") and dates, and
 * decodes each token.
 */
void
wf_component_hints_add_string(WfComponentHints *self, const gchar *origin, const gchar *text)
{
	const gchar *o;
	gsize len;

	g_return_if_fail(WF_IS_COMPONENT_HINTS(self));
	g_return_if_fail(origin != NULL);
	g_return_if_fail(text != NULL);

	o = g_string_chunk_insert_const(self->strings, origin);
	len = strnlen(text, WF_COMPONENT_HINTS_MAX_STRING);
	/* the input is untrusted and goes into JSON: keep it valid UTF-8 */
	g_ptr_array_add(self->inputs, g_utf8_make_valid(text, (gssize)len));
	g_ptr_array_add(self->input_origins, (gpointer)o);
	wf_component_hints_decode(self, o, text, len);
}

/* case-insensitive search for a driver name not glued to a word before it
 * nor followed by a digit (ST7789 matches "st7789v_init", not "ST77890") */
static void
wf_component_hints_scan_name(WfComponentHints *self,
			     const gchar *origin,
			     const guint8 *buf,
			     gsize bufsz,
			     const gchar *name,
			     JsonObject *entry)
{
	gsize nlen = strlen(name);
	guchar lo = g_ascii_tolower(name[0]);
	guchar up = g_ascii_toupper(name[0]);
	WfComponentToken *token = NULL;

	if (nlen == 0 || nlen > bufsz)
		return;
	for (gsize i = 0; i + nlen <= bufsz; i++) {
		gsize end;
		if (buf[i] != lo && buf[i] != up)
			continue;
		if (g_ascii_strncasecmp((const gchar *)buf + i, name, nlen) != 0)
			continue;
		if (i > 0 && buf[i - 1] < 0x80 && g_ascii_isalnum(buf[i - 1]))
			continue;
		end = i + nlen;
		if (end < bufsz && g_ascii_isdigit(buf[end]))
			continue;
		if (token != NULL) {
			token->count++;
			continue;
		}
		/* show the full part name as written, e.g. "ST7789V" */
		while (end < bufsz && end - i < 32 && buf[end] < 0x80 && g_ascii_isalnum(buf[end]))
			end++;
		token = g_new0(WfComponentToken, 1);
		token->text = g_strndup((const gchar *)buf + i, end - i);
		token->origin = origin;
		token->offset = i;
		token->count = 1;
		wf_component_token_set_entry(token, entry);
		/* a build may carry several drivers: a name proves little alone */
		token->confidence = MIN(token->confidence, WF_CONFIDENCE_LOW);
		g_ptr_array_add(self->evidence, token);
	}
}

/**
 * wf_component_hints_scan_image:
 * @self: a #WfComponentHints
 * @region: a name for the data, e.g. "ROM" or "ALICE (decompressed)"
 * @buf: the image, untrusted
 * @bufsz: size of @buf
 *
 * Looks for the driver names the table lists in `image_strings` (ST7789,
 * ILI9341, FT6236, …). Hits are extra evidence with low confidence: a
 * firmware may carry drivers for several panels.
 */
void
wf_component_hints_scan_image(WfComponentHints *self,
			      const gchar *region,
			      const guint8 *buf,
			      gsize bufsz)
{
	g_autofree gchar *origin_tmp = NULL;
	const gchar *origin;
	GPtrArray *entries;

	g_return_if_fail(WF_IS_COMPONENT_HINTS(self));
	g_return_if_fail(region != NULL);
	g_return_if_fail(buf != NULL || bufsz == 0);

	if (self->table == NULL)
		return;
	origin_tmp = g_strdup_printf("image:%s", region);
	origin = g_string_chunk_insert_const(self->strings, origin_tmp);
	entries = wf_knowledge_table_get_entries(self->table);
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *entry = g_ptr_array_index(entries, i);
		JsonArray *names;
		if (!json_object_has_member(entry, "image_strings"))
			continue;
		names = json_object_get_array_member(entry, "image_strings");
		for (guint k = 0; k < json_array_get_length(names); k++) {
			if (self->evidence->len >= WF_COMPONENT_HINTS_MAX_STRINGS)
				return;
			wf_component_hints_scan_name(self,
						     origin,
						     buf,
						     bufsz,
						     json_array_get_string_element(names, k),
						     entry);
		}
	}
}

/**
 * wf_component_hints_get_tokens:
 *
 * Returns: (transfer none) (element-type WfComponentToken): every token of
 * every string, in order, unknown ones included
 */
GPtrArray *
wf_component_hints_get_tokens(WfComponentHints *self)
{
	g_return_val_if_fail(WF_IS_COMPONENT_HINTS(self), NULL);
	return self->tokens;
}

/**
 * wf_component_hints_get_image_evidence:
 *
 * Returns: (transfer none) (element-type WfComponentToken): driver names
 * found in images, one per name
 */
GPtrArray *
wf_component_hints_get_image_evidence(WfComponentHints *self)
{
	g_return_val_if_fail(WF_IS_COMPONENT_HINTS(self), NULL);
	return self->evidence;
}

static const WfComponentToken *
wf_component_hints_best_in(GPtrArray *tokens, const gchar *category, const WfComponentToken *best)
{
	for (guint i = 0; i < tokens->len; i++) {
		const WfComponentToken *token = g_ptr_array_index(tokens, i);
		if (g_strcmp0(token->category, category) != 0)
			continue;
		if (best == NULL || token->confidence > best->confidence)
			best = token;
	}
	return best;
}

/**
 * wf_component_hints_get_best:
 * @self: a #WfComponentHints
 * @category: e.g. "lcd", "touch", "version", "build-date"
 *
 * String tokens win over image evidence of the same confidence, and earlier
 * tokens over later ones.
 *
 * Returns: (transfer none) (nullable): the most certain token of @category
 */
const WfComponentToken *
wf_component_hints_get_best(WfComponentHints *self, const gchar *category)
{
	const WfComponentToken *best;
	g_return_val_if_fail(WF_IS_COMPONENT_HINTS(self), NULL);
	g_return_val_if_fail(category != NULL, NULL);
	best = wf_component_hints_best_in(self->tokens, category, NULL);
	return wf_component_hints_best_in(self->evidence, category, best);
}

/**
 * wf_component_hints_get_platform:
 * @self: a #WfComponentHints
 * @confidence: (out) (optional): how sure
 *
 * A platform token ("MT6261D") if there is one, else the platform a project
 * or MAUI branch token implies, with at most medium confidence.
 *
 * Returns: (nullable): "MT6261", "MT6260", … or %NULL
 */
const gchar *
wf_component_hints_get_platform(WfComponentHints *self, WfConfidence *confidence)
{
	const WfComponentToken *best;
	const WfComponentToken *hint = NULL;

	g_return_val_if_fail(WF_IS_COMPONENT_HINTS(self), NULL);
	best = wf_component_hints_get_best(self, "platform");
	if (best != NULL && best->value != NULL) {
		if (confidence != NULL)
			*confidence = best->confidence;
		return best->value;
	}
	for (guint i = 0; i < self->tokens->len; i++) {
		const WfComponentToken *token = g_ptr_array_index(self->tokens, i);
		if (token->entry == NULL ||
		    wf_knowledge_entry_get_string(token->entry, "platform") == NULL)
			continue;
		if (hint == NULL || token->confidence > hint->confidence)
			hint = token;
	}
	if (hint == NULL) {
		if (confidence != NULL)
			*confidence = WF_CONFIDENCE_UNKNOWN;
		return NULL;
	}
	if (confidence != NULL)
		*confidence = MIN(hint->confidence, WF_CONFIDENCE_MEDIUM);
	return wf_knowledge_entry_get_string(hint->entry, "platform");
}

static void
wf_component_hints_token_to_json(WfComponentHints *self,
				 JsonBuilder *b,
				 const WfComponentToken *token)
{
	const gchar *members[] = {"vendor", "glass", "platform", "notes"};
	const gchar *meaning = wf_component_token_get_meaning(token);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, token->text);
	json_builder_set_member_name(b, "origin");
	json_builder_add_string_value(b, token->origin);
	json_builder_set_member_name(b, "offset");
	json_builder_add_int_value(b, token->offset);
	json_builder_set_member_name(b, "category");
	json_builder_add_string_value(b, token->category);
	json_builder_set_member_name(b, "value");
	if (token->value != NULL)
		json_builder_add_string_value(b, token->value);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "confidence");
	json_builder_add_string_value(b, wf_confidence_to_string(token->confidence));
	json_builder_set_member_name(b, "meaning");
	if (meaning != NULL)
		json_builder_add_string_value(b, meaning);
	else
		json_builder_add_null_value(b);
	for (guint i = 0; i < G_N_ELEMENTS(members) && token->entry != NULL; i++) {
		const gchar *value = wf_knowledge_entry_get_string(token->entry, members[i]);
		if (value == NULL)
			continue;
		json_builder_set_member_name(b, members[i]);
		json_builder_add_string_value(b, value);
	}
	if (g_str_has_prefix(token->origin, "image:")) {
		json_builder_set_member_name(b, "count");
		json_builder_add_int_value(b, token->count);
	}
	if (token->entry != NULL && self->table != NULL) {
		JsonNode *node = json_node_new(JSON_NODE_ARRAY);
		json_node_take_array(
			node, wf_knowledge_table_dup_entry_sources(self->table, token->entry));
		json_builder_set_member_name(b, "sources");
		json_builder_add_value(b, node);
	}
	json_builder_end_object(b);
}

static void
wf_component_hints_summary_to_json(WfComponentHints *self, JsonBuilder *b)
{
	const gchar *categories[] = {"lcd",
				     "touch",
				     "panel",
				     "board",
				     "region",
				     "model",
				     WF_COMPONENT_CATEGORY_VERSION,
				     WF_COMPONENT_CATEGORY_BUILD_DATE};
	WfConfidence pconf = WF_CONFIDENCE_UNKNOWN;
	const gchar *platform = wf_component_hints_get_platform(self, &pconf);

	json_builder_begin_object(b);
	for (guint i = 0; i < G_N_ELEMENTS(categories); i++) {
		const WfComponentToken *best = wf_component_hints_get_best(self, categories[i]);
		json_builder_set_member_name(b, categories[i]);
		if (best == NULL) {
			json_builder_add_null_value(b);
			continue;
		}
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "value");
		json_builder_add_string_value(b, best->value != NULL ? best->value : best->text);
		json_builder_set_member_name(b, "token");
		json_builder_add_string_value(b, best->text);
		json_builder_set_member_name(b, "confidence");
		json_builder_add_string_value(b, wf_confidence_to_string(best->confidence));
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "platform");
	if (platform != NULL) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "value");
		json_builder_add_string_value(b, platform);
		json_builder_set_member_name(b, "confidence");
		json_builder_add_string_value(b, wf_confidence_to_string(pconf));
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_end_object(b);
}

/**
 * wf_component_hints_to_json:
 * @self: a #WfComponentHints
 *
 * Returns: (transfer full): {"strings": […], "tokens": […],
 * "image_evidence": […], "summary": {"lcd": {…}|null, …}}
 */
JsonNode *
wf_component_hints_to_json(WfComponentHints *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(WF_IS_COMPONENT_HINTS(self), NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "strings");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->inputs->len; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "origin");
		json_builder_add_string_value(b, g_ptr_array_index(self->input_origins, i));
		json_builder_set_member_name(b, "text");
		json_builder_add_string_value(b, g_ptr_array_index(self->inputs, i));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "tokens");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->tokens->len; i++)
		wf_component_hints_token_to_json(self, b, g_ptr_array_index(self->tokens, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "image_evidence");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->evidence->len; i++)
		wf_component_hints_token_to_json(self, b, g_ptr_array_index(self->evidence, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "summary");
	wf_component_hints_summary_to_json(self, b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
