{#- Shared by the skill and hobby models, which differ only in names. -#}

{% macro normalize_spellings(unnested_model, item_name) -%}
    with spellings as (
        select
            {{ item_name }}_text,
            count(*) as occurrences
        from {{ ref(unnested_model) }}
        group by 1
    )

    select
        {{ item_name }}_text,
        {{ item_key(item_name ~ '_text') }} as {{ item_name }}_key,
        occurrences
    from spellings
{%- endmacro %}

{% macro item_bridge(unnested_model, spellings_model, item_name) -%}
    select
        items.persona_id,
        items.{{ item_name }}_position,
        spellings.{{ item_name }}_key,
        items.{{ item_name }}_text
    from {{ ref(unnested_model) }} as items
    inner join {{ ref(spellings_model) }} as spellings
        on items.{{ item_name }}_text = spellings.{{ item_name }}_text
{%- endmacro %}

{% macro item_dimension(bridge_model, item_name) -%}
    with spellings as (
        select
            {{ item_name }}_key,
            {{ item_name }}_text,
            count(*) as occurrences
        from {{ ref(bridge_model) }}
        group by 1, 2
    ),

    -- distinct pairs first, then a plain count: DuckDB's grouping spills to disk, a count(distinct) does
    -- not (at 10M rows it ran out of memory); a persona may list two spellings of one item
    persona_keys as (
        select distinct
            {{ item_name }}_key,
            persona_id
        from {{ ref(bridge_model) }}
    ),

    keys as (
        select
            {{ item_name }}_key,
            count(*) as persona_count
        from persona_keys
        group by 1
    ),

    ranked as (
        select
            {{ item_name }}_key,
            {{ item_name }}_text,
            count(*) over (partition by {{ item_name }}_key) as spelling_count,
            -- ties go to the alphabetically first spelling, so the name is stable between loads
            row_number() over (
                partition by {{ item_name }}_key order by occurrences desc, {{ item_name }}_text
            ) as spelling_rank
        from spellings
    ),

    most_common as (
        select
            {{ item_name }}_key,
            {{ item_name }}_text as {{ item_name }}_name,
            spelling_count
        from ranked
        where spelling_rank = 1
    )

    select
        keys.{{ item_name }}_key,
        most_common.{{ item_name }}_name,
        keys.persona_count,
        most_common.spelling_count
    from keys
    inner join most_common on keys.{{ item_name }}_key = most_common.{{ item_name }}_key
{%- endmacro %}

{% macro item_popularity(dimension_model, item_name) -%}
    select
        {{ item_name }}_key,
        {{ item_name }}_name,
        persona_count,
        persona_count / (select count(*) from {{ ref('dim_persona') }}) as persona_share,
        cast(rank() over (order by persona_count desc) as integer) as popularity_rank
    from {{ ref(dimension_model) }}
{%- endmacro %}
