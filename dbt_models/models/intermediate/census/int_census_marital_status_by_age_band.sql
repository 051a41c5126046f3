{#- ACS 2018 B12002 marital status counts in the dataset's codes and the marts' age bands
    (75-84 and 85+ summed into 75+), by sex: Female, Male and All. -#}

with counts as (

    unpivot {{ ref('ref_census_marital_status_by_age') }}
    on n_never_married, n_married_spouse_present, n_married_spouse_absent_other, n_separated, n_widowed, n_divorced
    into name census_category value census_count

)

select
    case counts.sex when 'both' then 'All' when 'female' then 'Female' when 'male' then 'Male' end as sex,
    case when counts.age_band in ('75-84', '85+') then '75+' else counts.age_band end as age_band,
    codes.marital_status,
    sum(counts.census_count)::bigint as census_count
from counts
inner join {{ ref('ref_census_marital_status_codes') }} as codes
    on codes.census_category = substr(counts.census_category, 3)
where counts.age_band in ('18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+')
group by all
