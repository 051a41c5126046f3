{#- Quarantined rows per load and reason code (a row with two reasons counts under both). Incremental:
    the history of every load is kept. -#}
{{ config(
    materialized='incremental',
    unique_key=incremental_key(['loaded_at_utc', 'reason_code']),
    on_schema_change='fail',
) }}

with reasons as (

    select
        {{ utc_timestamp('loaded_at') }} as loaded_at_utc,
        {{ explode_list('quarantine_reasons') }} as reason_code
    from {{ ref('base_nemotron__personas_validated') }}
    where {{ list_length('quarantine_reasons') }} > 0

)

select
    loaded_at_utc,
    reason_code,
    count(*) as quarantined_rows
from reasons
{% if is_incremental() %}
where loaded_at_utc not in (select loaded_at_utc from {{ this }})
{% endif %}
group by loaded_at_utc, reason_code
