{#- The dataset's age pyramid next to the Census one: five-year bands by sex, as shares of all adults. -#}

with personas as (

    select
        sex,
        case
            when age < 20 then '18-19'
            when age < 25 then '20-24'
            when age >= 85 then '85+'
            else (age // 5 * 5)::varchar || '-' || (age // 5 * 5 + 4)::varchar
        end as age_band,
        count(*) as persona_count
    from {{ ref('dim_persona') }}
    where age >= 18
    group by all

),

census as (

    select
        case sex when 'female' then 'Female' when 'male' then 'Male' end as sex,
        age_band,
        sum(count) filter (where year = 2018) as census_count_acs_2018,
        sum(count) filter (where year = 2023) as census_count_pep_2023
    from {{ ref('ref_census_age_distribution') }}
    where sex in ('female', 'male') and age_band <> '18+'
    group by all

)

select
    census.age_band,
    census.sex,
    (split_part(replace(census.age_band, '+', ''), '-', 1))::integer as age_band_start,
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
