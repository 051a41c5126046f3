{#- The dataset's age pyramid next to the Census one: five-year bands by sex, as shares of all adults. -#}

with bands as (

    select * from {{ ref('ref_age_bands') }}
    where band_system = 'acs_five_year'

),

personas as (

    select
        personas.sex,
        bands.age_band,
        count(*) as persona_count
    from {{ ref('dim_persona') }} as personas
    inner join bands
        on personas.age >= bands.age_from and (bands.age_to is null or personas.age <= bands.age_to)
    group by all

),

census as (

    select
        sexes.sex,
        ages.age_band,
        bands.age_from as age_band_start,
        sum(ages.count) filter (where ages.year = 2018) as census_count_acs_2018,
        sum(ages.count) filter (where ages.year = 2023) as census_count_pep_2023
    from {{ ref('ref_census_age_distribution') }} as ages
    inner join {{ ref('ref_sex_codes') }} as sexes on ages.sex = sexes.census_sex
    inner join bands on ages.age_band = bands.age_band
    group by all

)

select
    census.age_band,
    census.sex,
    census.age_band_start,
    coalesce(personas.persona_count, 0) as persona_count,
    coalesce(personas.persona_count, 0) / sum(personas.persona_count) over () as persona_share,
    census.census_count_acs_2018 / sum(census.census_count_acs_2018) over () as census_share_acs_2018,
    census.census_count_pep_2023 / sum(census.census_count_pep_2023) over () as census_share_pep_2023,
    100 * (
        coalesce(personas.persona_count, 0) / sum(personas.persona_count) over ()
        - census.census_count_acs_2018 / sum(census.census_count_acs_2018) over ()
    ) as difference_pp
from census
left join personas
    on
        census.sex = personas.sex
        and census.age_band = personas.age_band
