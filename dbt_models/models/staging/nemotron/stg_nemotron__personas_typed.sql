{#- Every raw row, typed, with the reasons (if any) it cannot be staged. Materialized once, so the
    list parser runs once per load; stg_nemotron__personas and the quarantine read this table.
    The narratives (most of each row's bytes) stay in the raw table: stg_nemotron__personas adds
    them back, so a load's text is copied once more (into dim_persona), not twice. -#}
{%- set source_relation = source('nemotron', 'personas') -%}

with source as (

    select * from {{ source_relation }}

),

typed as (

    select
        lower(replace(trim(uuid), '-', '')) as persona_id,
        uuid as source_uuid,
        -- text ages (CSV, JSON) must be whole numbers: a cast alone would round '34.5' to 35
        case
            when regexp_full_match(trim(age::varchar), '[+-]?[0-9]+') then try_cast(trim(age::varchar) as integer)
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
    from source

),

numbered as (

    select
        *,
        row_number() over (partition by persona_id order by source_file, source_row_index) as copy_number
    from typed

),

-- Derived from the seeds that are their one home: the marts' age bands, and which levels are a degree.
derived as (

    select
        numbered.*,
        bands.age_band,
        coalesce(education.has_bachelors_or_higher, false) as has_bachelors_or_higher
    from numbered
    left join {{ ref('ref_age_bands') }} as bands
        on
            bands.band_system = 'marts'
            and numbered.age >= bands.age_from
            and (bands.age_to is null or numbered.age <= bands.age_to)
    left join {{ ref('ref_census_education_codes') }} as education
        on numbered.education_level = education.education_level

)

select
    * exclude (copy_number),
    {{ generation('age') }} as generation,
    len(skills) as skills_count,
    len(hobbies) as hobbies_count,
    -- The codes are the seeds' codes: one source of truth for the domains.
    list_filter([
        case
            when persona_id is null or persona_id = '' then 'missing_uuid'
            when not regexp_full_match(persona_id, '[0-9a-f]{32}') then 'invalid_uuid'
            when copy_number > 1 then 'duplicate_uuid'
        end,
        case
            when age is null then 'age_not_a_whole_number'
            when age not between 18 and 110 then 'age_out_of_range'
        end,
        case
            when sex is null or sex not in (
                select sex from {{ ref('ref_sex_codes') }}  -- noqa: RF02
            ) then 'unknown_sex'
        end,
        case
            when
                marital_status is null
                or marital_status not in (
                    select marital_status from {{ ref('ref_census_marital_status_codes') }}  -- noqa: RF02
                )
                then 'unknown_marital_status'
        end,
        case
            when
                education_level is null
                or education_level not in (
                    select education_level from {{ ref('ref_census_education_codes') }}  -- noqa: RF02
                )
                then 'unknown_education_level'
        end,
        case
            when
                bachelors_field not in (
                    select bachelors_field from {{ ref('ref_census_degree_field_codes') }}  -- noqa: RF02
                )
                then 'unknown_bachelors_field'
            when bachelors_field is not null and not has_bachelors_or_higher
                then 'bachelors_field_without_degree'
        end,
        case
            when state is null or state not in (
                select usps from {{ ref('ref_census_states') }}  -- noqa: RF02
            ) then 'invalid_state'
        end,
        case when zipcode is null or not regexp_full_match(zipcode, '[0-9]{5}') then 'invalid_zipcode' end,
        case when country is distinct from 'USA' then 'country_not_usa' end,
        case when skills is null or hobbies is null then 'unparseable_list' end
    ], reason -> reason is not null) as quarantine_reasons
from derived
