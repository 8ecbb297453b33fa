import React from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import 'uplot/dist/uPlot.min.css';
import { App } from './App.jsx';

createRoot(document.getElementById('root')).render(
  <MantineProvider defaultColorScheme="light">
    <App />
  </MantineProvider>,
);
