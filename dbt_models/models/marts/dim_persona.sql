with personas as (

    select * from {{ ref('stg_nemotron__personas') }}

),

states as (

    select * from {{ ref('ref_census_states') }}

),

occupation_groups as (

    select * from {{ ref('ref_occupation_groups') }}

)

select
    personas.persona_id,
    personas.source_uuid,
    personas.sex,
    personas.age,
    personas.age_band,
    personas.generation,
    personas.marital_status,
    personas.education_level,
    personas.has_bachelors_or_higher,
    personas.bachelors_field,
    personas.occupation,
    occupation_groups.occupation_group,
    personas.city,
    personas.state,
    states.name as state_name,
    states.region as census_region,
    states.division as census_division,
    personas.zipcode,
    personas.country,
    personas.skills_count,
    personas.hobbies_count,
    personas.skills,
    personas.hobbies,
    personas.persona,
    personas.professional_persona,
    personas.sports_persona,
    personas.arts_persona,
    personas.travel_persona,
    personas.culinary_persona,
    personas.cultural_background,
    personas.skills_and_expertise,
    personas.hobbies_and_interests,
    personas.career_goals_and_ambitions,
    personas.source_release,
    personas.source_file,
    personas.source_row_index
from personas
left join states on personas.state = states.usps
left join occupation_groups on personas.occupation = occupation_groups.occupation
