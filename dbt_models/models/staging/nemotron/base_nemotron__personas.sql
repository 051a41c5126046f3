{#- Staging proper: every raw row renamed, cast and parsed, nothing dropped or judged. Ephemeral - it is
    compiled into base_nemotron__personas_validated, so the list parser runs once per load and no view in
    the database calls the parser's Python function (a client without it could not read such a view).
    The narratives (most of each row's bytes) stay in the raw table: stg_nemotron__personas adds them
    back, so a load's text is copied once more (into dim_persona), not twice. -#}
{{ config(materialized='ephemeral') }}

{%- set source_relation = source('nemotron', 'personas') %}

select
    lower(replace(trim(uuid), '-', '')) as persona_id,
    uuid as source_uuid,
    -- text ages (CSV, JSON) must be whole numbers: a cast alone would round '34.5' to 35
    case
        when {{ regex_full_match('trim(age::string)', '[+-]?[0-9]+') }} then try_cast(trim(age::string) as integer)
    end as age,
    trim(sex) as sex,
    trim(marital_status) as marital_status,
    trim(education_level) as education_level,
    nullif(trim(bachelors_field), '') as bachelors_field,
    trim(occupation) as occupation,
    trim(city) as city,
    upper(trim(state)) as state,
    trim(zipcode) as zipcode,
    trim(country) as country,
    {{ parse_list_column(source_relation, 'skills_and_expertise_list') }} as skills,
    {{ parse_list_column(source_relation, 'hobbies_and_interests_list') }} as hobbies,
    _source_spec as source_spec,
    _source_revision as source_revision,
    _source_release as source_release,
    _source_file as source_file,
    _source_row_index as source_row_index,
    _loaded_at as loaded_at
from {{ source_relation }}
