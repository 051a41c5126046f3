{#- The personas that pass every staging rule: what the marts are built from, with their narratives
    read from the raw row they came from. -#}
{#- A view on DuckDB, so the narratives are not copied; Spark tables every relation (dbt_project.yml). -#}
{{ config(materialized='view' if target.type != 'spark' else 'table') }}
{%- set narrative_columns = [
    'persona', 'professional_persona', 'sports_persona', 'arts_persona', 'travel_persona', 'culinary_persona',
    'cultural_background', 'skills_and_expertise', 'hobbies_and_interests', 'career_goals_and_ambitions',
] %}

with staged as (

    select {{ star_except(ref('base_nemotron__personas_validated'), ['quarantine_reasons']) }}
    from {{ ref('base_nemotron__personas_validated') }}
    where {{ list_length('quarantine_reasons') }} = 0

),

narratives as (

    select
        _source_file as source_file,
        _source_row_index as source_row_index,
        {{ narrative_columns | join(',\n        ') }}
    from {{ source('nemotron', 'personas') }}

)

select
    staged.*,
    narratives.{{ narrative_columns | join(',\n    narratives.') }}
from staged
inner join
    narratives
    on staged.source_file = narratives.source_file and staged.source_row_index = narratives.source_row_index
