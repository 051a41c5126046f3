{#- Every raw row, renamed, cast and parsed by base_nemotron__personas, with what is derived from it and
    the codes of every staging rule it breaks (quarantine_reasons, empty when none). Materialized once:
    stg_nemotron__personas (the rows without a reason) and the quarantine read this table. -#}

with typed as (

    select * from {{ ref('base_nemotron__personas') }}

),

numbered as (

    select
        *,
        row_number() over (partition by persona_id order by source_file, source_row_index) as copy_number
    from typed

),

-- Everything derived from a persona's columns, in one place; bands and degrees from the seeds that are their home.
derived as (

    select
        numbered.*,
        bands.age_band,
        {{ generation('numbered.age') }} as generation,
        coalesce(education.has_bachelors_or_higher, false) as has_bachelors_or_higher,
        len(numbered.skills) as skills_count,
        len(numbered.hobbies) as hobbies_count
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
    -- The codes are the seeds' codes: one source of truth for the domains.
    list_filter([
        case
            when persona_id is null or persona_id = '' then 'missing_uuid'
            when not regexp_full_match(persona_id, '[0-9a-f]{32}') then 'invalid_uuid'
            when copy_number > 1 then 'duplicate_uuid'
        end,
        case
            when age is null then 'age_not_a_whole_number'
            when
                age < (select min_age from {{ ref('ref_persona_age_range') }})  -- noqa: RF02
                or age > (select max_age from {{ ref('ref_persona_age_range') }})  -- noqa: RF02
                then 'age_out_of_range'
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
