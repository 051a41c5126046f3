{#- Row accounting: raw rows = staged rows + quarantined rows. Any row returned fails the build.
    Attached to the quarantine table, so that Dagster shows it as that asset's check. -#}
{{ config(meta={'dagster': {'ref': {'name': 'stg_nemotron__personas_quarantined'}}}) }}

with counts as (

    select
        (select count(*) from {{ source('nemotron', 'personas') }}) as raw_rows,
        (select count(*) from {{ ref('stg_nemotron__personas') }}) as staged_rows,
        (select count(*) from {{ ref('stg_nemotron__personas_quarantined') }}) as quarantined_rows

)

select *
from counts
where raw_rows <> staged_rows + quarantined_rows
