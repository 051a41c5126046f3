{#- The personas that pass every staging rule: what the marts are built from, with their narratives
    read from the raw row they came from. -#}
{{ config(materialized='view') }}

with staged as (

    select * exclude (quarantine_reasons)
    from {{ ref('base_nemotron__personas_validated') }}
    where len(quarantine_reasons) = 0

),

narratives as (

    select
        _source_file as source_file,
        _source_row_index as source_row_index,
        persona,
        professional_persona,
        sports_persona,
        arts_persona,
        travel_persona,
        culinary_persona,
        cultural_background,
        skills_and_expertise,
        hobbies_and_interests,
        career_goals_and_ambitions
    from {{ source('nemotron', 'personas') }}

)

select
    staged.*,
    narratives.* exclude (source_file, source_row_index)  -- noqa: RF02
from staged
inner join
    narratives
    on staged.source_file = narratives.source_file and staged.source_row_index = narratives.source_row_index
