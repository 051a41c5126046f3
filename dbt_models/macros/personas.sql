{#- Parse a `*_list` column whichever way the source stored it: a string holding a
    Python list literal (the Hub's parquet) or a real list (JSON, the datasets library).
    Items are trimmed and empty items dropped; NULL means the list did not parse. -#}
{% macro parse_list_column(relation, column_name) -%}
    {%- set found = namespace(is_list=false) -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name == column_name -%}
            {%- set found.is_list = column.data_type.endswith('[]') or column.data_type.startswith('array') -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set items = column_name if found.is_list else parse_list_literal(column_name) -%}
    filter({{ list_transform(items, 'item -> trim(item)') }}, item -> item <> '')
{%- endmacro %}

{#- The items of a Python list literal of strings, as ast.literal_eval reads it; NULL when it is not one. -#}
{% macro parse_list_literal(text) -%}
    {{ return(adapter.dispatch('parse_list_literal')(text)) }}
{%- endmacro %}

{#- DuckDB: the SQL macro parse_list_literal (dagster_project/lib/duckdb_functions.py) splits the common
    literals in SQL and hands the rest to Python's own parser. -#}
{% macro default__parse_list_literal(text) %}parse_list_literal({{ text }}){% endmacro %}

{#- Spark: in SQL alone, the literals Python's repr() and the real data hold: quoted items with the escapes
    \\ \' \" \n \t \r and \uXXXX, adjacent literals that Python joins into one item, a trailing comma, and the
    one extra outer list of the real data, unwrapped. Any other literal (other escapes, nested lists, items
    that are not strings) gives NULL, so its row is quarantined as unparseable_list where DuckDB's Python
    parser might read it. The patterns are Java regular expressions, written as Jinja blocks (no escaping). -#}
{% macro spark__parse_list_literal(text) -%}
    {%- set literal %}(?:'(?:[^'\\\n\r]|\\(?:[\\'"ntr]|u[0-9a-fA-F]{4}))*'|"(?:[^"\\\n\r]|\\(?:[\\'"ntr]|u[0-9a-fA-F]{4}))*"){% endset -%}
    {%- set item = literal ~ '(?:\\s*' ~ literal ~ ')*' -%}
    {%- set items %}\s*\[\s*(?:{{ item }}(?:\s*,\s*{{ item }})*\s*,?)?\s*\]\s*{% endset -%}
    {%- set list_text %}
        case
            when {{ regex_full_match(text, '\\s*\\[\\s*' ~ items ~ ',?\\s*\\]\\s*') }}
                then regexp_extract({{ text }}, {{ regex_literal('^\\s*\\[(.*\\])\\s*,?\\s*\\]\\s*$') }}, 1)
            else {{ text }}
        end
    {%- endset -%}
    case
        when {{ regex_full_match(list_text, items) }} then transform(
            regexp_extract_all({{ list_text }}, {{ regex_literal(item) }}, 0),
            joined -> array_join(
                transform(
                    regexp_extract_all(joined, {{ regex_literal(literal) }}, 0),
                    quoted -> {{ unescape_python_string('substr(quoted, 2, length(quoted) - 2)') }}
                ),
                ''
            )
        )
    end
{%- endmacro %}

{#- The text of a Python string literal's body with its escapes (\\ \' \" \n \t \r \uXXXX) undone. A doubled
    backslash is set aside first (as U+E000, a private-use character) so that it cannot start another escape. -#}
{% macro unescape_python_string(body) -%}
    {%- set set_aside = "replace(" ~ body ~ ", '\\\\\\\\', '\\uE000')" -%}
    {%- set quotes = regex_replace_all(set_aside, "\\\\(['\"])", "'$1'") -%}
    {%- set controls = regex_replace_all(
        regex_replace_all(regex_replace_all(quotes, '\\\\n', 'char(10)'), '\\\\t', 'char(9)'), '\\\\r', 'char(13)'
    ) -%}
    replace(
        concat(
            element_at(split({{ controls }}, {{ regex_literal('\\\\u') }}), 1),
            array_join(transform(
                slice(split({{ controls }}, {{ regex_literal('\\\\u') }}), 2, length({{ body }})),
                piece -> concat(decode(unhex(substr(piece, 1, 4)), 'UTF-16BE'), substr(piece, 5))
            ), '')
        ),
        '\uE000',
        '\\'
    )
{%- endmacro %}

{#- Pew Research Center's generation boundaries, by birth year. -#}
{% macro generation(age) -%}
    case
        when {{ age }} is null then null
        when {{ var('generation_reference_year') }} - {{ age }} >= 2013 then 'Generation Alpha'
        when {{ var('generation_reference_year') }} - {{ age }} >= 1997 then 'Generation Z'
        when {{ var('generation_reference_year') }} - {{ age }} >= 1981 then 'Millennial'
        when {{ var('generation_reference_year') }} - {{ age }} >= 1965 then 'Generation X'
        when {{ var('generation_reference_year') }} - {{ age }} >= 1946 then 'Baby Boomer'
        when {{ var('generation_reference_year') }} - {{ age }} >= 1928 then 'Silent Generation'
        else 'Greatest Generation'
    end
{%- endmacro %}

{#- One row per item of a persona's list, with its 1-based position. -#}
{% macro unnest_persona_list(list_column, item_name) -%}
    {{ return(adapter.dispatch('unnest_persona_list')(list_column, item_name)) }}
{%- endmacro %}

{% macro default__unnest_persona_list(list_column, item_name) -%}
    with items as (
        select
            persona_id,
            unnest(list_transform({{ list_column }}, (item, position) -> {'item': item, 'position': position})) as entry
        from {{ ref('stg_nemotron__personas') }}
    )

    select
        persona_id,
        entry.position::integer as {{ item_name }}_position,
        entry.item as {{ item_name }}_text
    from items
{%- endmacro %}

{#- Spark: posexplode gives each item with its 0-based position. -#}
{% macro spark__unnest_persona_list(list_column, item_name) -%}
    select
        persona_id,
        cast(position + 1 as integer) as {{ item_name }}_position,
        item as {{ item_name }}_text
    from {{ ref('stg_nemotron__personas') }}
    lateral view posexplode({{ list_column }}) as position, item
{%- endmacro %}

{#- A place name in the one form names are compared in: lowercase, trimmed, single spaces. -#}
{% macro place_key(name) -%}
    lower(trim({{ regex_replace_all(name, '\\s+', "' '") }}))
{%- endmacro %}
