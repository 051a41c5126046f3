{%- set source_relation = source('nemotron', 'personas') -%}

with source as (

    select * from {{ source_relation }}

),

typed as (

    select
        lower(replace(trim(uuid), '-', '')) as persona_id,
        uuid as source_uuid,
        try_cast(age as integer) as age,
        trim(sex) as sex,
        trim(marital_status) as marital_status,
        trim(education_level) as education_level,
        nullif(trim(bachelors_field), '') as bachelors_field,
        trim(occupation) as occupation,
        trim(city) as city,
        upper(trim(state)) as state,
        trim(zipcode) as zipcode,
        trim(country) as country,
        persona,
        professional_persona,
        sports_persona,
        arts_persona,
        travel_persona,
        culinary_persona,
        cultural_background,
        skills_and_expertise,
        {{ parse_list_column(source_relation, 'skills_and_expertise_list') }} as skills,
        hobbies_and_interests,
        {{ parse_list_column(source_relation, 'hobbies_and_interests_list') }} as hobbies,
        career_goals_and_ambitions,
        _source_spec as source_spec,
        _source_revision as source_revision,
        _source_release as source_release,
        _source_file as source_file,
        _source_row_index as source_row_index,
        _loaded_at as loaded_at
    from source

)

select
    *,
    {{ age_band('age') }} as age_band,
    {{ generation('age') }} as generation,
    education_level in ('bachelors', 'graduate') as has_bachelors_or_higher,
    len(skills) as skills_count,
    len(hobbies) as hobbies_count
from typed
