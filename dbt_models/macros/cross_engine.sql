{#- What DuckDB and Spark SQL spell differently, one macro each (adapter.dispatch). The models call these
    macros and are otherwise the same SQL on both engines. -#}

{#- The number of items in a list (NULL for a NULL list). -#}
{% macro list_length(list) -%}
    {{ return(adapter.dispatch('list_length')(list)) }}
{%- endmacro %}
{% macro default__list_length(list) %}len({{ list }}){% endmacro %}
{% macro spark__list_length(list) %}cast(size({{ list }}) as bigint){% endmacro %}

{#- A list of the given SQL expressions. -#}
{% macro make_list(items) -%}
    {{ return(adapter.dispatch('make_list')(items)) }}
{%- endmacro %}
{% macro default__make_list(items) %}list_value({{ items | join(', ') }}){% endmacro %}
{% macro spark__make_list(items) %}array({{ items | join(', ') }}){% endmacro %}

{#- Each item of a list through `lambda` (the SQL text of `item -> ...`). -#}
{% macro list_transform(list, lambda) -%}
    {{ return(adapter.dispatch('list_transform')(list, lambda)) }}
{%- endmacro %}
{% macro default__list_transform(list, lambda) %}list_transform({{ list }}, {{ lambda }}){% endmacro %}
{% macro spark__list_transform(list, lambda) %}transform({{ list }}, {{ lambda }}){% endmacro %}

{#- One row per item of a list, in a SELECT list. -#}
{% macro explode_list(list) -%}
    {{ return(adapter.dispatch('explode_list')(list)) }}
{%- endmacro %}
{% macro default__explode_list(list) %}unnest({{ list }}){% endmacro %}
{% macro spark__explode_list(list) %}explode({{ list }}){% endmacro %}

{#- A regular expression as a string literal: Spark's SQL parser reads backslashes as escapes, DuckDB's not. -#}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal')(pattern)) }}
{%- endmacro %}
{% macro default__regex_literal(pattern) %}'{{ pattern | replace("'", "''") }}'{% endmacro %}
{% macro spark__regex_literal(pattern) %}'{{ pattern | replace('\\', '\\\\') | replace("'", "\\'") }}'{% endmacro %}

{#- Whether the whole of `text` matches `pattern` (a regular expression given as Jinja text). -#}
{% macro regex_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ regex_literal(pattern) }})
{%- endmacro %}
{% macro spark__regex_full_match(text, pattern) -%}
    ({{ text }} rlike {{ regex_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{#- Whether `pattern` matches anywhere in `text`. -#}
{% macro regex_search(text, pattern) -%}
    {{ return(adapter.dispatch('regex_search')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_search(text, pattern) %}regexp_matches({{ text }}, {{ regex_literal(pattern) }}){% endmacro %}
{% macro spark__regex_search(text, pattern) %}({{ text }} rlike {{ regex_literal(pattern) }}){% endmacro %}

{#- Every match of `pattern` in `text` replaced. -#}
{% macro regex_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ regex_literal(pattern) }}, {{ replacement }}, 'g')
{%- endmacro %}
{% macro spark__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ regex_literal(pattern) }}, {{ replacement }})
{%- endmacro %}

{#- A point in time as a plain UTC timestamp (no time zone): DuckDB's TIMESTAMP, Spark's TIMESTAMP_NTZ
    (the Spark session's time zone is UTC, profiles.yml). -#}
{% macro utc_timestamp(value) -%}
    {{ return(adapter.dispatch('utc_timestamp')(value)) }}
{%- endmacro %}
{% macro default__utc_timestamp(value) %}timezone('UTC', {{ value }}){% endmacro %}
{% macro spark__utc_timestamp(value) %}cast({{ value }} as timestamp_ntz){% endmacro %}

{#- `as materialized` for a CTE that several parts of a query read: DuckDB computes it once; Spark has no
    such hint (it reuses exchanges on its own). -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte')()) }}
{%- endmacro %}
{% macro default__materialized_cte() %}materialized{% endmacro %}
{% macro spark__materialized_cte() %}{% endmacro %}

{#- Every column of a relation but the excluded ones, for `select`: DuckDB's `* exclude` is not in Spark. -#}
{% macro star_except(relation, excluded, prefix=none) -%}
    {%- if not execute -%}*{%- else -%}
        {%- set names = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name not in excluded -%}
            {%- do names.append((prefix ~ '.' if prefix else '') ~ adapter.quote(column.name)) -%}
        {%- endfor -%}
        {{ names | join(', ') }}
    {%- endif -%}
{%- endmacro %}

{#- The key that groups spellings of a skill or hobby: NFKC, single spaces, trimmed, case-folded.
    DuckDB: the Python function normalize_item_key (dagster_project/lib/list_literal.py). Spark: the same steps
    in ICU, which Spark 4 ships (for its collations), called through `reflect`. Python counts four more
    control characters (U+001C-U+001F) as whitespace than Java's Unicode class does. -#}
{% macro item_key(text) -%}
    {{ return(adapter.dispatch('item_key')(text)) }}
{%- endmacro %}
{% macro default__item_key(text) %}normalize_item_key({{ text }}){% endmacro %}
{% macro spark__item_key(text) -%}
    reflect(
        'com.ibm.icu.lang.UCharacter', 'foldCase',
        trim({{ regex_replace_all("reflect('com.ibm.icu.text.Normalizer', 'compose', " ~ text ~ ", true)", '(?U)\\s+', "' '") }}),
        true
    )
{%- endmacro %}

{#- An incremental model's unique key. Each model adds only the loads it does not hold yet (its
    `is_incremental()` filter), so a plain append is right; Spark's tables in Parquet cannot merge on a key
    (that needs Delta or Iceberg), so there the key is left out and dbt appends. -#}
{% macro incremental_key(key) -%}
    {{ return(none if target.type == 'spark' else key) }}
{%- endmacro %}

