{#- The Census side of every audit dimension, in the dataset's own codes: one row per
    (dimension, universe, category) with the Census count and its share of the universe.
    All from ACS 2018 1-year tables, so the dimensions describe one population. -#}

with age_by_sex as (

    select
        ages.sex as census_sex,
        sexes.sex,
        ages.age_band as census_age_band,
        bands.marts_age_band as age_band,
        ages.count as census_count
    from {{ ref('ref_census_age_distribution') }} as ages
    inner join {{ ref('ref_age_bands') }} as bands
        on bands.band_system = 'acs_five_year' and ages.age_band = bands.age_band
    left join {{ ref('ref_sex_codes') }} as sexes on ages.sex = sexes.census_sex
    where ages.year = 2018

),

marital_coded as (

    select * from {{ ref('int_census_marital_status_by_age_band') }}
    where sex = 'All'

),

education_coded as (

    select
        codes.education_level,
        education.count as census_count
    from {{ ref('ref_census_education_by_age_sex') }} as education
    inner join {{ ref('ref_census_education_codes') }} as codes
        on codes.census_level_key = education.level_key
    where education.age_band in ('25-34', '35-44', '45-64', '65+')

),

degree_field_coded as (

    select
        codes.bachelors_field,
        fields.count as census_count
    from {{ ref('ref_census_field_of_degree') }} as fields
    inner join {{ ref('ref_census_degree_field_codes') }} as codes
        on codes.census_field = fields.field
    where fields.geo = 'US' and fields.sex = 'both' and fields.age_band = '25+'

),

counts as (

    select
        'sex' as dimension,
        {{ audit_universe('adults') }} as universe,
        sex as category,
        sum(census_count) as census_count,
        'ACS 2018 1-year B01001' as census_source
    from age_by_sex
    where sex is not null  -- female and male, not both
    group by all
    union all
    select
        'age_band',
        {{ audit_universe('adults') }},
        age_band,
        sum(census_count),
        'ACS 2018 1-year B01001'
    from age_by_sex
    where census_sex = 'both'
    group by all
    union all
    select
        'marital_status',
        {{ audit_universe('adults') }},
        marital_status,
        sum(census_count),
        'ACS 2018 1-year B12002'
    from marital_coded
    group by all
    union all
    select
        'marital_status',
        {{ audit_universe('age_band', 'age_band') }},
        marital_status,
        sum(census_count),
        'ACS 2018 1-year B12002'
    from marital_coded
    group by all
    union all
    select
        'education_level',
        {{ audit_universe('adults_25_plus') }},
        education_level,
        sum(census_count),
        'ACS 2018 1-year B15001'
    from education_coded
    group by all
    union all
    select
        'bachelors_field',
        {{ audit_universe('degree_holders_25_plus') }},
        bachelors_field,
        sum(census_count),
        'ACS 2018 1-year S1502'
    from degree_field_coded
    group by all
    union all
    select
        'state',
        {{ audit_universe('adults') }},
        usps,
        adults18plus_2018_acs1_b01001,
        'ACS 2018 1-year B01001'
    from {{ ref('ref_census_states') }}

)

select
    dimension,
    universe,
    category,
    census_count::bigint as census_count,
    census_count / sum(census_count) over (partition by dimension, universe) as census_share,
    census_source
from counts
