{#- Parse a `*_list` column whichever way the source stored it: a string holding a
    Python list literal (the Hub's parquet) or a real list (JSON, the datasets library).
    Items are trimmed and empty items dropped; NULL means the list did not parse. -#}
{% macro parse_list_column(relation, column_name) -%}
    {%- set found = namespace(data_type='VARCHAR') -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name == column_name -%}
            {%- set found.data_type = column.data_type -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if found.data_type.endswith('[]') -%}
        list_filter(list_transform({{ column_name }}, item -> trim(item)), item -> item <> '')
    {%- else -%}
        list_filter(list_transform(parse_list_literal({{ column_name }}), item -> trim(item)), item -> item <> '')
    {%- endif -%}
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

{#- A place name in the one form names are compared in: lowercase, trimmed, single spaces. -#}
{% macro place_key(name) -%}
    lower(trim(regexp_replace({{ name }}, '\s+', ' ', 'g')))
{%- endmacro %}
