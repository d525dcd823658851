/* global document, sessionStorage, location, history, Chart */
// The sync-health dashboard (packages/server/README.md "Dashboard"). Plain script, no build
// step. Every value from the API is written with textContent, never as HTML. Live mode reads
// /api/sync/* with the admin token kept in sessionStorage; the static export
// (`hubstore activity dashboard --out DIR`) embeds the data in #hubstore-data instead.
;(function () {
  'use strict'
  var TOKEN_KEY = 'hubstore-admin-token'
  var REFRESH_MS = 15000
  var CHART_JOBS = 200
  var TABLE_JOBS = 50
  var embedded = document.getElementById('hubstore-data')
  var staticData = embedded ? JSON.parse(embedded.textContent) : null
  var chart = null
  var timer = null

  function $(selector) {
    return document.querySelector(selector)
  }
  function metric(name, text, value) {
    var el = $('[data-metric="' + name + '"]')
    el.textContent = text
    if (value !== undefined) el.setAttribute('data-value', String(value))
  }
  function duration(ms) {
    if (ms === null || ms === undefined) return '—'
    var s = Math.round(ms / 1000)
    if (s < 60) return s + ' s'
    var m = Math.floor(s / 60)
    if (m < 60) return m + ' min ' + (s % 60) + ' s'
    var h = Math.floor(m / 60)
    if (h < 48) return h + ' h ' + (m % 60) + ' min'
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h'
  }
  function counts(job) {
    try {
      var c = JSON.parse(job.counts || '{}')
      var total = 0
      // rows written: every kind but the deliveries themselves
      for (var k in c) if (k !== 'deliveries' && typeof c[k] === 'number') total += c[k]
      return total
    } catch {
      return 0
    }
  }
  function firstError(job) {
    try {
      var errors = JSON.parse(job.errors || '[]')
      return errors.length ? String(errors[0].message || errors[0].code || '') : ''
    } catch {
      return ''
    }
  }
  function cell(row, text, cls) {
    var td = document.createElement('td')
    td.textContent = text
    if (cls) td.className = cls
    row.appendChild(td)
  }

  function renderHealth(h) {
    metric('repositories', String(h.total_repositories), h.total_repositories)
    metric('coverage', h.coverage_percent.toFixed(1) + ' %', h.coverage_percent)
    metric(
      'coverage-detail',
      h.synced_recently + ' synced within ' + duration(h.min_interval_ms),
      h.synced_recently
    )
    metric('lag', duration(h.lag_ms), h.lag_ms === null ? '' : h.lag_ms)
    var p = h.last_periodic_sync
    metric('last-periodic', p ? p.finished_at || p.started_at : 'never', p ? p.id : '')
    metric(
      'last-periodic-detail',
      p ? p.status + ', ' + p.repositories_processed + ' repositories' : ''
    )
    metric('failed-deliveries', String(h.deliveries.failed), h.deliveries.failed)
    metric(
      'deliveries-detail',
      h.deliveries.pending +
        ' pending, ' +
        h.deliveries.processed +
        ' processed, ' +
        h.deliveries.redelivered +
        ' redelivered'
    )
    $('#updated').textContent = 'as of ' + h.now
  }

  function renderJobs(jobs) {
    var body = $('#jobs tbody')
    body.replaceChildren()
    jobs.forEach(function (job) {
      var row = document.createElement('tr')
      row.className = job.status
      row.setAttribute('data-job-id', String(job.id))
      cell(row, String(job.id))
      cell(row, job.type)
      cell(row, job.status, 'status')
      cell(row, String(job.repositories_processed))
      cell(row, String(counts(job)))
      cell(row, job.started_at)
      cell(
        row,
        job.finished_at ? duration(Date.parse(job.finished_at) - Date.parse(job.started_at)) : '—'
      )
      cell(row, firstError(job))
      body.appendChild(row)
    })
  }

  function renderChart(jobs) {
    var buckets = {}
    jobs.forEach(function (job) {
      var hour = job.started_at.slice(0, 13) + ':00'
      var b = buckets[hour] || (buckets[hour] = { jobs: 0, records: 0 })
      b.jobs++
      b.records += counts(job)
    })
    var labels = Object.keys(buckets).sort()
    var data = {
      labels: labels,
      datasets: [
        { type: 'bar', label: 'jobs', data: labels.map((l) => buckets[l].jobs), yAxisID: 'y' },
        {
          type: 'line',
          label: 'records synced',
          data: labels.map((l) => buckets[l].records),
          yAxisID: 'records'
        }
      ]
    }
    if (typeof Chart === 'undefined') return
    if (chart) {
      chart.data = data
      chart.update()
      return
    }
    chart = new Chart($('#chart'), {
      data: data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, position: 'left', title: { display: true, text: 'jobs' } },
          records: {
            beginAtZero: true,
            position: 'right',
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'records' }
          }
        }
      }
    })
  }

  function failedOnly() {
    return $('#failed-only').checked
  }

  function showLogin(message) {
    clearTimeout(timer)
    $('#main').hidden = true
    $('#login').hidden = false
    $('#login-error').textContent = message || ''
  }

  function api(path) {
    return fetch(path, {
      headers: { authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) }
    }).then(function (res) {
      if (res.status === 401) throw { unauthorized: true }
      if (!res.ok) throw new Error(path + ' answered ' + res.status)
      return res.json()
    })
  }

  function refresh() {
    clearTimeout(timer)
    var table = failedOnly()
      ? api('api/sync/jobs?status=failed&limit=' + TABLE_JOBS)
      : Promise.resolve(null)
    Promise.all([api('api/sync/health'), api('api/sync/jobs?limit=' + CHART_JOBS), table])
      .then(function (r) {
        $('#login').hidden = true
        $('#main').hidden = false
        renderHealth(r[0])
        renderChart(r[1].jobs)
        renderJobs(r[2] ? r[2].jobs : r[1].jobs.slice(0, TABLE_JOBS))
        document.body.setAttribute('data-loaded', String(Date.now()))
        timer = setTimeout(refresh, REFRESH_MS)
      })
      .catch(function (e) {
        if (e && e.unauthorized) {
          sessionStorage.removeItem(TOKEN_KEY)
          showLogin('That token was refused: paste the admin token again.')
        } else {
          $('#updated').textContent = 'refresh failed: ' + String(e && e.message)
          timer = setTimeout(refresh, REFRESH_MS)
        }
      })
  }

  function renderStatic() {
    $('#main').hidden = false
    renderHealth(staticData.health)
    renderChart(staticData.jobs)
    var jobs = staticData.jobs.filter(function (j) {
      return !failedOnly() || j.status === 'failed'
    })
    renderJobs(jobs.slice(0, TABLE_JOBS))
    $('#updated').textContent = 'exported ' + staticData.health.now
    document.body.setAttribute('data-loaded', String(Date.now()))
  }

  $('#failed-only').addEventListener('change', function () {
    if (staticData) renderStatic()
    else refresh()
  })
  $('#login').addEventListener('submit', function (event) {
    event.preventDefault()
    sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim())
    $('#token').value = ''
    refresh()
  })

  if (staticData) return renderStatic()
  // A link may carry the token in the fragment (never sent to the server, so never logged);
  // it is moved to sessionStorage and removed from the address bar.
  var fromHash = /^#token=(.+)$/.exec(location.hash)
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromHash[1]))
    history.replaceState(null, '', location.pathname + location.search)
  }
  if (sessionStorage.getItem(TOKEN_KEY)) refresh()
  else showLogin()
})()
