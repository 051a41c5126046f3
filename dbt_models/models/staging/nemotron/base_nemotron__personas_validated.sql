{#- Every raw row, renamed, cast and parsed by base_nemotron__personas, with what is derived from it and
    the codes of every staging rule it breaks (quarantine_reasons, empty when none). Materialized once:
    stg_nemotron__personas (the rows without a reason) and the quarantine read this table. -#}

with typed as (

    select * from {{ ref('base_nemotron__personas') }}

),

-- Everything derived from a persona's columns, in one place; bands and degrees from the seeds that are their home.
derived as (

    select
        typed.*,
        bands.age_band,
        {{ generation('typed.age') }} as generation,
        coalesce(education.has_bachelors_or_higher, false) as has_bachelors_or_higher,
        {{ list_length('typed.skills') }} as skills_count,
        {{ list_length('typed.hobbies') }} as hobbies_count
    from typed
    left join {{ ref('ref_age_bands') }} as bands
        on
            bands.band_system = 'marts'
            and typed.age >= bands.age_from
            and (bands.age_to is null or typed.age <= bands.age_to)
    left join {{ ref('ref_census_education_codes') }} as education
        on typed.education_level = education.education_level

),

-- each domain's values once (a seed may map several codes to one value)
sexes as (select distinct sex from {{ ref('ref_sex_codes') }}),

marital_statuses as (select distinct marital_status from {{ ref('ref_census_marital_status_codes') }}),

education_levels as (select distinct education_level from {{ ref('ref_census_education_codes') }}),

degree_fields as (select distinct bachelors_field from {{ ref('ref_census_degree_field_codes') }})

select
    derived.*,
    -- The codes are the seeds' codes: one source of truth for the domains. A value is in a domain when the
    -- seed's value joined below is there (joins, not `in (select ...)`: Spark allows those only in filters).
    filter({{ make_list([
        """case
            when derived.persona_id is null or derived.persona_id = '' then 'missing_uuid'
            when not """ ~ regex_full_match('derived.persona_id', '[0-9a-f]{32}') ~ """ then 'invalid_uuid'
            when row_number() over (
                partition by derived.persona_id order by derived.source_file, derived.source_row_index
            ) > 1 then 'duplicate_uuid'
        end""",
        """case
            when derived.age is null then 'age_not_a_whole_number'
            when derived.age < age_range.min_age or derived.age > age_range.max_age then 'age_out_of_range'
        end""",
        "case when sexes.sex is null then 'unknown_sex' end",
        "case when marital_statuses.marital_status is null then 'unknown_marital_status' end",
        "case when education_levels.education_level is null then 'unknown_education_level' end",
        """case
            when derived.bachelors_field is not null and degree_fields.bachelors_field is null
                then 'unknown_bachelors_field'
            when derived.bachelors_field is not null and not derived.has_bachelors_or_higher
                then 'bachelors_field_without_degree'
        end""",
        "case when states.usps is null then 'invalid_state' end",
        "case when derived.zipcode is null or not " ~ regex_full_match('derived.zipcode', '[0-9]{5}')
            ~ " then 'invalid_zipcode' end",
        "case when derived.country is distinct from 'USA' then 'country_not_usa' end",
        "case when derived.skills is null or derived.hobbies is null then 'unparseable_list' end",
    ]) }}, reason -> reason is not null) as quarantine_reasons
from derived
cross join {{ ref('ref_persona_age_range') }} as age_range
left join sexes on derived.sex = sexes.sex
left join marital_statuses on derived.marital_status = marital_statuses.marital_status
left join education_levels on derived.education_level = education_levels.education_level
left join degree_fields on derived.bachelors_field = degree_fields.bachelors_field
left join {{ ref('ref_census_states') }} as states on derived.state = states.usps
