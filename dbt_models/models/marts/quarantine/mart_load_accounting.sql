{#- One row per load: raw rows = staged rows + quarantined rows. Incremental: the history of every
    load is kept, while the staging tables hold only the current one. The load time is a plain UTC
    TIMESTAMP: TIMESTAMPTZ needs pytz in DuckDB's Python client and in pandas. -#}
{{ config(materialized='incremental', unique_key=incremental_key('loaded_at_utc'), on_schema_change='fail') }}

with typed as (

    select * from {{ ref('base_nemotron__personas_validated') }}

),

loads as (

    select * from {{ source('nemotron', 'source_loads') }}

),

counts as (

    select
        loaded_at,
        count(*) as raw_rows,
        count(*) filter (where {{ list_length('quarantine_reasons') }} = 0) as staged_rows,
        count(*) filter (where {{ list_length('quarantine_reasons') }} > 0) as quarantined_rows
    from typed
    group by loaded_at

)

select
    {{ utc_timestamp('counts.loaded_at') }} as loaded_at_utc,
    loads.source_spec,
    loads.fingerprint as source_fingerprint,
    loads.revision as source_revision,
    counts.raw_rows,
    counts.staged_rows,
    counts.quarantined_rows,
    counts.quarantined_rows / counts.raw_rows as quarantined_share
from counts
inner join loads on counts.loaded_at = loads.loaded_at
{% if is_incremental() %}
where {{ utc_timestamp('counts.loaded_at') }} not in (select loaded_at_utc from {{ this }})
{% endif %}
