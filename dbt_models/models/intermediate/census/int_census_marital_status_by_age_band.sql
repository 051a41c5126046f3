{#- ACS 2018 B12002 marital status counts in the dataset's codes and the marts' age bands
    (75-84 and 85+ summed into 75+), by sex: Female, Male and All. -#}

with counts as (

    select *
    from {{ ref('ref_census_marital_status_by_age') }} unpivot (
        census_count for census_category in (
            n_never_married, n_married_spouse_present, n_married_spouse_absent_other, n_separated, n_widowed, n_divorced
        )
    )

)

select
    coalesce(sexes.sex, 'All') as sex,  -- the Census's "both"
    bands.marts_age_band as age_band,
    codes.marital_status,
    sum(counts.census_count)::bigint as census_count
from counts
inner join {{ ref('ref_census_marital_status_codes') }} as codes
    on codes.census_category = substr(counts.census_category, 3)
inner join {{ ref('ref_age_bands') }} as bands
    on bands.band_system = 'acs_ten_year' and counts.age_band = bands.age_band
left join {{ ref('ref_sex_codes') }} as sexes on counts.sex = sexes.census_sex
group by all
