{#- The personas that pass every staging rule: what the marts are built from. -#}
{{ config(materialized='view') }}

select * exclude (quarantine_reasons)
from {{ ref('stg_nemotron__personas_typed') }}
where len(quarantine_reasons) = 0
